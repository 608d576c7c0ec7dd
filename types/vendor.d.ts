/**
 * Types for the parts of untyped packages this project uses. Kept minimal:
 * only what the probe calls.
 */
declare module '@xmpp/xml' {
  /** An ltx element: a parsed XML element with attributes and children. */
  export class Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(): string;
    toString(): string;
  }
  /** Streaming XMPP parser: emits `start` (header), `element` (top-level child), `end`, `error`. */
  export class Parser {
    on(event: 'start' | 'element' | 'end', listener: (el: Element) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    write(data: string): void;
  }
  export function escapeXML(s: string): string;
  export function escapeXMLText(s: string): string;
}
