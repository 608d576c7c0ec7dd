/**
 * Types for the parts of @xmpp/client (and @xmpp/xml's element builder) that
 * the notifier uses (src/lib/notify). Kept minimal; the package ships no types.
 */
declare module '@xmpp/xml' {
  /** Builds an element: `xml('message', { to }, xml('body', {}, 'hi'))`. */
  export function xml(name: string, attrs?: Record<string, string | number | undefined> | null, ...children: (Element | string | null | undefined | false)[]): Element;
  export function parse(text: string): Element;
  export interface Element {
    append(child: Element | string): this;
    attr(name: string): string | undefined;
  }
}

declare module '@xmpp/client' {
  import type { Element } from '@xmpp/xml';
  export { xml } from '@xmpp/xml';
  export interface IqCaller {
    request(stanza: Element, timeoutMs?: number): Promise<Element>;
  }
  export interface XmppClient {
    jid: { toString(): string; bare(): { toString(): string } } | null;
    status: string;
    iqCaller: IqCaller;
    reconnect: { delay: number; stop(): void };
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(...stanzas: Element[]): Promise<void>;
    on(event: 'stanza', listener: (stanza: Element) => void): this;
    on(event: 'online', listener: (address: unknown) => void): this;
    on(event: 'error' | 'offline' | 'status', listener: (arg: unknown) => void): this;
  }
  export function client(options: { service: string; domain: string; username: string; password: string; resource?: string; timeout?: number }): XmppClient;
}
