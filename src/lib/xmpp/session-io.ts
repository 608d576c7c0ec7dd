/**
 * The probe's XML-stream session (C1–C9 share it): the context and outcome
 * every check uses, opening a stream, STARTTLS, the certificate verdict, the
 * client session the register and login checks reuse, and IQ requests.
 */
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { escapeXML, type Element } from '@xmpp/xml';
import { problemText, type ProbeProblem } from '../schemas.ts';
import { judgeCertificate, type CertVerdict } from './cert-verdict.ts';
import { type ConnectTarget } from './srv.ts';
import type { XmppService } from './identity.ts';
import { connectTcp, connectTls, peerCertificate, tlsFacts, type NetOptions } from './connect-io.ts';
import { daneFacts, lookupTlsa } from './dane-io.ts';
import { describeError, NS, ProbeError, serverText, XmppStream } from './stream-io.ts';

export interface ProbeContext extends NetOptions {
  /** The XMPP domain, e.g. `jabber.org`. */
  domain: string;
  /** Clock for certificate expiry; injected for tests. */
  now: () => Date;
  /** Bytes read per stream before giving up. */
  maxBytes: number;
  /** Domain we claim in s2s stream headers (no dialback is ever started). */
  s2sFrom: string;
  random: () => number;
}

/** What one check found: passed or not, why not (each problem with its kind, issue 24), and what it learned. */
export interface CheckOutcome {
  ok: boolean;
  /** Absent or empty when the check passed, e.g. `[{ kind: 'connect-refused', text: 'connection refused (xmpp.example.org:5222)' }]`. */
  problems?: ProbeProblem[];
  detail: Record<string, unknown>;
}

/** A failed outcome with one problem, e.g. `failed('http-failed', 'HTTP 404 at https://example.org/', { status: 404 })`. */
export const failed = (kind: ProbeProblem['kind'], text: string, detail: Record<string, unknown> = {}): CheckOutcome => ({
  ok: false,
  problems: [{ kind, text }],
  detail,
});

/** What clients see in a certificate verdict that refuses the certificate, e.g. `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`; undefined when they accept it. */
export const refusedCertificate = (verdict: CertVerdict): string | undefined => problemText(verdict.problems);

/** Default ports when a domain publishes no SRV records. */
export const FALLBACK_PORTS = { 'xmpp-client': 5222, 'xmpps-client': 5223, 'xmpp-server': 5269 } as const;

export type SrvService = keyof typeof FALLBACK_PORTS;

// Stream helpers

function streamHeader(ns: 'jabber:client' | 'jabber:server', to: string, from?: string): string {
  // No whitespace between elements (RFC 6120 §5.3.3 [S13]).
  const extra = ns === 'jabber:server' ? ` xmlns:db='jabber:server:dialback'${from ? ` from='${escapeXML(from)}'` : ''}` : '';
  return `<?xml version='1.0'?><stream:stream xmlns='${ns}' xmlns:stream='${NS.stream}'${extra} to='${escapeXML(to)}' version='1.0' xml:lang='en'>`;
}

export interface OpenedStream {
  stream: XmppStream;
  features: Element;
  from: string;
}

export async function openStream(socket: XmppStream['socket'], ns: 'jabber:client' | 'jabber:server', ctx: ProbeContext): Promise<OpenedStream> {
  const stream = new XmppStream(socket, { maxBytes: ctx.maxBytes });
  try {
    stream.send(streamHeader(ns, ctx.domain, ns === 'jabber:server' ? ctx.s2sFrom : undefined));
    const header = await stream.header(ctx.timeoutMs);
    if (header.attrs.version !== '1.0') {
      throw new ProbeError(`server speaks pre-1.0 XMPP (stream version ${JSON.stringify(serverText(header.attrs.version ?? 'missing', 20))})`);
    }
    const features = await stream.next(ctx.timeoutMs, 'stream features');
    if (features.name !== 'stream:features') throw new ProbeError(`expected <stream:features>, got <${serverText(features.name, 40)}>`);
    return { stream, features, from: serverText(header.attrs.from ?? '', 253) };
  } catch (err) {
    stream.close();
    throw err;
  }
}

/** Offers `<starttls/>`, expects `<proceed/>`, and completes the handshake. */
export async function negotiateStartTls(opened: OpenedStream, ctx: ProbeContext): Promise<{ tlsSocket: TLSSocket; starttlsRequired: boolean }> {
  const starttls = opened.features.getChild('starttls', NS.tls);
  if (!starttls) throw new ProbeError('server does not offer STARTTLS', false, 'starttls-failed');
  opened.stream.send(`<starttls xmlns='${NS.tls}'/>`);
  const answer = await opened.stream.next(ctx.timeoutMs, 'the answer to <starttls/>');
  if (answer.is('failure', NS.tls)) throw new ProbeError('server refused STARTTLS (<failure/>)', false, 'starttls-failed');
  if (!answer.is('proceed', NS.tls)) throw new ProbeError(`expected <proceed/>, got <${serverText(answer.name, 40)}>`);
  opened.stream.detach();
  const tlsSocket = await connectTls({ socket: opened.stream.socket, servername: ctx.domain }, ctx);
  return { tlsSocket, starttlsRequired: !!starttls.getChild('required') };
}

export function certificate(tlsSocket: TLSSocket, service: XmppService, ctx: ProbeContext, name = ctx.domain): CertVerdict {
  return judgeCertificate(peerCertificate(tlsSocket), name, service, ctx.now());
}

export function saslMechanisms(features: Element): string[] {
  return (features.getChild('mechanisms', NS.sasl)?.getChildren('mechanism') ?? []).slice(0, 30).map((m) => serverText(m.text(), 60));
}

/** The channel-binding types listed in XEP-0440 `<sasl-channel-binding/>`, or undefined when the server lists none. */
export function channelBindingTypes(features: Element): string[] | undefined {
  const listed = features.getChild('sasl-channel-binding', NS.saslChannelBinding);
  return listed
    ?.getChildren('channel-binding')
    .slice(0, 10)
    .map((c) => serverText(c.attrs.type, 40));
}

/** The certificate verdict's problems and a check's own problem, in that order, as one outcome. */
export function outcome(verdict: CertVerdict, problem: ProbeProblem | undefined, detail: Record<string, unknown>): CheckOutcome {
  const problems = [...verdict.problems, ...(problem ? [problem] : [])];
  return {
    ok: problems.length === 0,
    ...(problems.length ? { problems } : {}),
    detail: { ...detail, cert: verdict.facts, ...(verdict.warning ? { warning: verdict.warning } : {}) },
  };
}

// C2: client STARTTLS, and the session the register and login checks reuse

export interface ClientSession {
  stream: XmppStream;
  tlsSocket: TLSSocket;
  features: Element;
  verdict: CertVerdict;
  detail: Record<string, unknown>;
}

/** Connects, negotiates STARTTLS, verifies the certificate and reads the post-TLS features. */
export async function openClientSession(target: ConnectTarget, ctx: ProbeContext, options: { dane?: boolean } = {}): Promise<ClientSession> {
  // Issue 30: the TLSA lookup runs beside the connection (only for the c2s check itself, not for every login).
  const tlsa = options.dane ? lookupTlsa(target.host, target.port, ctx) : undefined;
  const socket = await connectTcp(target.host, target.port, ctx);
  let plain: OpenedStream | undefined;
  try {
    plain = await openStream(socket, 'jabber:client', ctx);
    const { tlsSocket, starttlsRequired } = await negotiateStartTls(plain, ctx);
    const verdict = certificate(tlsSocket, 'xmpp-client', ctx);
    const secure = await openStream(tlsSocket, 'jabber:client', ctx);
    const bindings = channelBindingTypes(secure.features);
    const detail = {
      streamFrom: plain.from,
      starttls: { offered: true, required: starttlsRequired },
      tls: tlsFacts(tlsSocket),
      mechanisms: saslMechanisms(secure.features),
      // XEP-0440, when the server lists its channel-binding types (issue 21: ejabberd 23.01 does not).
      ...(bindings ? { channelBindings: bindings } : {}),
      register: !!secure.features.getChild('register', NS.registerFeature),
      ...(tlsa ? { dane: await daneFacts(tlsa, tlsSocket) } : {}),
    };
    return { stream: secure.stream, tlsSocket, features: secure.features, verdict, detail };
  } catch (err) {
    plain?.stream.close();
    socket.destroy();
    throw err;
  }
}

// C5: registration. Asks for the form (XEP-0077) and never submits it.

let iqCounter = 0;

export const nextId = () => `probe-${++iqCounter}-${randomUUID().slice(0, 8)}`;

/** Sends an IQ and waits for the reply with the same id. */
export async function iq(stream: XmppStream, type: 'get' | 'set', to: string | undefined, payload: string, ctx: ProbeContext): Promise<Element> {
  const id = nextId();
  stream.send(`<iq type='${type}' id='${id}'${to ? ` to='${escapeXML(to)}'` : ''}>${payload}</iq>`);
  return stream.nextMatching((el) => el.name === 'iq' && el.attrs.id === id, ctx.timeoutMs, `the reply to an IQ ${type}`);
}

export function iqError(reply: Element): string {
  const error = reply.getChild('error');
  return error ? describeError(error, NS.stanzas) : 'unknown error';
}
