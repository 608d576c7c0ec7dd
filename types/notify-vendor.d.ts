/**
 * Types for the parts of @xmpp/client (and @xmpp/xml's element builder) that
 * the notifier uses (src/lib/notify). Kept minimal; the package ships no types.
 */
declare module '@xmpp/xml' {
  /** Builds an element: `xml('message', { to }, xml('body', {}, 'hi'))`. */
  export function xml(
    name: string,
    attrs?: Record<string, string | number | undefined> | null,
    ...children: (Element | string | null | undefined | false)[]
  ): Element;
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
    /**
     * Writes ONE element (@xmpp/connection 0.14: `send(element)`). Further
     * arguments are ignored by the library, so this signature takes exactly
     * one: `send(a, b)` does not compile (issue 23).
     */
    send(stanza: Element): Promise<void>;
    /** Writes several elements in one socket write (@xmpp/connection-tcp 0.14: `sendMany(elements)`). */
    sendMany(stanzas: readonly Element[]): Promise<void>;
    /** The TCP socket (a net.Socket before STARTTLS); null when disconnected. */
    socket: { setNoDelay?(noDelay?: boolean): unknown } | null;
    /** XEP-0198 as @xmpp/stream-management 0.14 runs it: `enabled` once the server agreed; `ack` per acknowledged stanza, in order; `fail` for each one unacknowledged when the stream dies. */
    streamManagement: {
      enabled: boolean;
      on(event: 'ack' | 'fail', listener: (stanza: Element) => void): unknown;
      off(event: 'ack' | 'fail', listener: (stanza: Element) => void): unknown;
    };
    on(event: 'stanza', listener: (stanza: Element) => void): this;
    on(event: 'online', listener: (address: unknown) => void): this;
    on(event: 'error' | 'offline' | 'status' | 'connect', listener: (arg: unknown) => void): this;
  }
  export function client(options: { service: string; domain: string; username: string; password: string; resource?: string; timeout?: number }): XmppClient;
}
