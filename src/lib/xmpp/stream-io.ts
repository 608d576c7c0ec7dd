/**
 * One XMPP stream over a socket, read defensively: the probe talks to
 * servers it does not control, so every wait has a deadline, the bytes read
 * per stream are capped, and anything malformed becomes a `ProbeError` with a
 * reason a reader can understand, never a hang or unbounded memory.
 *
 * A stream restart (after STARTTLS or SASL) needs a fresh parser: call
 * `detach()` and wrap the socket in a new `XmppStream`.
 */
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { Parser, type Element } from '@xmpp/xml';
import type { ProbeProblem, ProblemKind } from '../schemas.ts';

export const NS = {
  stream: 'http://etherx.jabber.org/streams',
  streams: 'urn:ietf:params:xml:ns:xmpp-streams',
  tls: 'urn:ietf:params:xml:ns:xmpp-tls',
  sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
  bind: 'urn:ietf:params:xml:ns:xmpp-bind',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  register: 'jabber:iq:register',
  registerFeature: 'http://jabber.org/features/iq-register',
  dialbackFeature: 'urn:xmpp:features:dialback',
  discoInfo: 'http://jabber.org/protocol/disco#info',
  discoItems: 'http://jabber.org/protocol/disco#items',
  dataForms: 'jabber:x:data',
  oob: 'jabber:x:oob',
  version: 'jabber:iq:version',
  ping: 'urn:xmpp:ping',
  ibrToken: 'urn:xmpp:ibr-token:0',
  invite: 'urn:xmpp:invite',
  saslChannelBinding: 'urn:xmpp:sasl-cb:0',
} as const;

/**
 * A failed check. `retryable` marks network trouble worth one more try;
 * `kind` is what went wrong, decided here where the fault is seen (issue 24),
 * e.g. `timeout`; most faults of a stream are the server breaking the protocol.
 */
export class ProbeError extends Error {
  readonly retryable: boolean;
  readonly kind: ProblemKind;
  constructor(message: string, retryable = false, kind: ProblemKind = 'protocol-error') {
    super(message);
    this.name = 'ProbeError';
    this.retryable = retryable;
    this.kind = kind;
  }

  /** The problem a record carries for this failure. */
  get problem(): ProbeProblem {
    return { kind: this.kind, text: this.message };
  }
}

/** The server ended the stream with `<stream:error>`; `condition` is e.g. `not-authorized`. */
export class StreamError extends ProbeError {
  readonly condition: string;
  constructor(condition: string, description: string) {
    super(`stream error: ${description}`, false, 'stream-error');
    this.name = 'StreamError';
    this.condition = condition;
  }
}

/** Trims server-supplied text before it goes into a record. */
export function serverText(text: string | undefined | null, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = (text ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** The defined condition of a `<stream:error>` or stanza `<error>`, e.g. `not-authorized`. */
export function errorCondition(error: Element, ns: string): string {
  // Conditions usually inherit the namespace from <error>, so an absent xmlns counts.
  const condition = error.children.find((c): c is Element => typeof c !== 'string' && (c.attrs.xmlns ?? ns) === ns && c.name !== 'text');
  return serverText(condition?.name ?? 'undefined-condition', 60);
}

/** The condition and text of a `<stream:error>` or stanza `<error>`. */
export function describeError(error: Element, ns: string): string {
  const text = error.getChildText('text', ns);
  return `${errorCondition(error, ns)}${text ? ` (${serverText(text)})` : ''}`;
}

export interface StreamLimits {
  /** Most bytes read on this stream before giving up, e.g. `262144`. */
  maxBytes: number;
}

export class XmppStream {
  readonly socket: Socket;
  private readonly parser = new Parser();
  private readonly decoder = new StringDecoder('utf8');
  private readonly queue: Element[] = [];
  private headerElement: Element | undefined;
  private failure: ProbeError | undefined;
  private wake: (() => void) | undefined;
  private bytes = 0;
  private sawFirstByte = false;
  private readonly limits: StreamLimits;
  private readonly onData: (chunk: Buffer) => void;
  private readonly onClose: () => void;
  private readonly onError: (err: Error) => void;

  constructor(socket: Socket, limits: StreamLimits) {
    this.socket = socket;
    this.limits = limits;
    this.parser.on('start', (el: Element) => {
      this.headerElement = el;
      this.notify();
    });
    this.parser.on('element', (el: Element) => {
      this.queue.push(el);
      this.notify();
    });
    this.parser.on('end', () => this.fail(new ProbeError('server closed the XMPP stream')));
    this.parser.on('error', (err: Error) => this.fail(new ProbeError(`server sent malformed XML: ${serverText(err.message, 120)}`)));
    this.onData = (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (this.bytes > this.limits.maxBytes) {
        this.fail(new ProbeError(`server sent more than ${Math.round(this.limits.maxBytes / 1024)} KiB on one stream; gave up`));
        socket.destroy();
        return;
      }
      const text = this.decoder.write(chunk);
      if (!this.sawFirstByte && text.trim()) {
        this.sawFirstByte = true;
        // An XMPP stream starts with "<"; anything else (an HTTP or SMTP
        // banner, TLS bytes on a plaintext port) is another protocol.
        if (!text.trimStart().startsWith('<')) {
          this.fail(new ProbeError(`server does not speak XMPP here (it sent ${JSON.stringify(serverText(text, 40))})`));
          socket.destroy();
          return;
        }
      }
      try {
        this.parser.write(text);
      } catch (err) {
        this.fail(new ProbeError(`server sent malformed XML: ${serverText((err as Error).message, 120)}`));
      }
    };
    this.onClose = () => this.fail(new ProbeError('server closed the connection', true, 'connect-failed'));
    this.onError = (err: Error) =>
      this.fail(new ProbeError(`connection error: ${serverText((err as NodeJS.ErrnoException).code ?? err.message, 120)}`, true, 'connect-failed'));
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  private notify() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private fail(error: ProbeError) {
    if (!this.failure) this.failure = error;
    this.notify();
  }

  /** Stops reading: before a TLS upgrade or a stream restart. */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
  }

  send(xml: string): void {
    this.socket.write(xml);
  }

  /** Waits until `ready` returns a value, the stream fails, or `timeoutMs` passes. */
  private async waitFor<T>(ready: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new ProbeError(`timed out after ${timeoutMs} ms waiting for ${what}`, true, 'timeout');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The server's `<stream:stream>` header. */
  async header(timeoutMs: number): Promise<Element> {
    const header = await this.waitFor(() => this.headerElement, timeoutMs, 'the stream header');
    if (header.name !== 'stream:stream' || header.attrs['xmlns:stream'] !== NS.stream) {
      throw new ProbeError(`server answered with <${serverText(header.name, 40)}> instead of an XMPP stream header`);
    }
    return header;
  }

  /**
   * The next top-level element; a `<stream:error>` becomes a ProbeError.
   * @param what for the timeout message, e.g. `stream features`
   */
  async next(timeoutMs: number, what: string): Promise<Element> {
    const el = await this.waitFor(() => this.queue.shift(), timeoutMs, what);
    if (el.name === 'stream:error') throw new StreamError(errorCondition(el, NS.streams), describeError(el, NS.streams));
    return el;
  }

  /** The next element matching `match`, skipping others (presence, messages). */
  async nextMatching(match: (el: Element) => boolean, timeoutMs: number, what: string): Promise<Element> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const el = await this.next(Math.max(1, deadline - Date.now()), what);
      if (match(el)) return el;
    }
  }

  /** Says goodbye politely and closes the socket. */
  close(): void {
    this.detach();
    if (!this.socket.destroyed) {
      try {
        this.socket.end('</stream:stream>');
      } catch {
        // Already broken: nothing to say goodbye to.
      }
      this.socket.destroy();
    }
  }
}
