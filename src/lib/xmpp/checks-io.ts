/**
 * The probe's checks, one function each, following
 * shared/research/xmpp-probing.md (C1–C9). Each takes a context and a target
 * and returns an outcome; a thrown ProbeError is a failed check with a reason.
 */
import { randomUUID } from 'node:crypto';
import { resolveSrv } from 'node:dns/promises';
import type { TLSSocket } from 'node:tls';
import { escapeXML, type Element } from '@xmpp/xml';
import ScramSha1 from 'sasl-scram-sha-1';
import { judgeCertificate, type CertVerdict } from './cert-verdict.ts';
import { planSrvTargets, type ConnectTarget, type SrvPlan, type SrvRecord } from './srv.ts';
import type { XmppService } from './identity.ts';
import { httpGet } from './http-get-io.ts';
import { connectTcp, connectTls, peerCertificate, tlsFacts, type NetOptions } from './connect-io.ts';
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

export interface CheckOutcome {
  ok: boolean;
  error?: string;
  detail: Record<string, unknown>;
}

/** Default ports when a domain publishes no SRV records. */
export const FALLBACK_PORTS = { 'xmpp-client': 5222, 'xmpps-client': 5223, 'xmpp-server': 5269 } as const;
export type SrvService = keyof typeof FALLBACK_PORTS;

// ---------------------------------------------------------------------------
// C1: DNS
// ---------------------------------------------------------------------------

export type DnsPlans = Record<SrvService | 'xmpps-server', SrvPlan>;

async function lookupSrv(name: string, ctx: ProbeContext): Promise<SrvRecord[] | { code: string }> {
  try {
    return ctx.resolver ? await ctx.resolver.resolveSrv(name) : await resolveSrv(name);
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code ?? 'ESERVFAIL' };
  }
}

/** Looks up the four SRV names and plans where each kind of connection goes. */
export async function checkDns(ctx: ProbeContext): Promise<{ outcome: CheckOutcome; plans: DnsPlans }> {
  const names = ['xmpp-client', 'xmpps-client', 'xmpp-server', 'xmpps-server'] as const;
  const lookups = await Promise.all(names.map((s) => lookupSrv(`_${s}._tcp.${ctx.domain}`, ctx)));
  const plans = Object.fromEntries(
    names.map((s, i) => [s, planSrvTargets(ctx.domain, lookups[i]!, s === 'xmpps-server' ? 5270 : FALLBACK_PORTS[s], ctx.random)]),
  ) as DnsPlans;
  const problems: string[] = [];
  for (const s of ['xmpp-client', 'xmpp-server'] as const) {
    const plan = plans[s];
    if (plan.kind === 'not-offered') problems.push(`_${s}._tcp says the service is not offered (target ".")`);
    if (plan.kind === 'dns-error') problems.push(`_${s}._tcp lookup failed (${plan.error})`);
  }
  const describe = (plan: SrvPlan) =>
    plan.kind === 'srv' || plan.kind === 'fallback' ? { kind: plan.kind, targets: plan.targets.map((t) => `${t.host}:${t.port}`) } : plan;
  return {
    outcome: { ok: problems.length === 0, ...(problems.length ? { error: problems.join('; ') } : {}), detail: { srv: Object.fromEntries(names.map((s) => [s, describe(plans[s])])) } },
    plans,
  };
}

/** Where to connect for a kind of connection; direct TLS falls back to domain:5223 as the policy asks. */
export function targetsFor(plans: DnsPlans, service: SrvService): ConnectTarget[] {
  const plan = plans[service];
  return plan.kind === 'srv' || plan.kind === 'fallback' ? plan.targets : [];
}

// ---------------------------------------------------------------------------
// Stream helpers
// ---------------------------------------------------------------------------

function streamHeader(ns: 'jabber:client' | 'jabber:server', to: string, from?: string): string {
  // No whitespace between elements (RFC 6120 §5.3.3 [S13]).
  const extra = ns === 'jabber:server' ? ` xmlns:db='jabber:server:dialback'${from ? ` from='${escapeXML(from)}'` : ''}` : '';
  return `<?xml version='1.0'?><stream:stream xmlns='${ns}' xmlns:stream='${NS.stream}'${extra} to='${escapeXML(to)}' version='1.0' xml:lang='en'>`;
}

interface OpenedStream {
  stream: XmppStream;
  features: Element;
  from: string;
}

async function openStream(socket: XmppStream['socket'], ns: 'jabber:client' | 'jabber:server', ctx: ProbeContext): Promise<OpenedStream> {
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
async function negotiateStartTls(opened: OpenedStream, ctx: ProbeContext): Promise<{ tlsSocket: TLSSocket; starttlsRequired: boolean }> {
  const starttls = opened.features.getChild('starttls', NS.tls);
  if (!starttls) throw new ProbeError('server does not offer STARTTLS');
  opened.stream.send(`<starttls xmlns='${NS.tls}'/>`);
  const answer = await opened.stream.next(ctx.timeoutMs, 'the answer to <starttls/>');
  if (answer.is('failure', NS.tls)) throw new ProbeError('server refused STARTTLS (<failure/>)');
  if (!answer.is('proceed', NS.tls)) throw new ProbeError(`expected <proceed/>, got <${serverText(answer.name, 40)}>`);
  opened.stream.detach();
  const tlsSocket = await connectTls({ socket: opened.stream.socket, servername: ctx.domain }, ctx);
  return { tlsSocket, starttlsRequired: !!starttls.getChild('required') };
}

function certificate(tlsSocket: TLSSocket, service: XmppService, ctx: ProbeContext, name = ctx.domain): CertVerdict {
  return judgeCertificate(peerCertificate(tlsSocket), name, service, ctx.now());
}

function saslMechanisms(features: Element): string[] {
  return (features.getChild('mechanisms', NS.sasl)?.getChildren('mechanism') ?? []).slice(0, 30).map((m) => serverText(m.text(), 60));
}

/** Joins the certificate verdict and a check's own problem into one outcome. */
function outcome(verdict: CertVerdict, problem: string | undefined, detail: Record<string, unknown>): CheckOutcome {
  const error = [verdict.error, problem].filter(Boolean).join('; ');
  return { ok: !error, ...(error ? { error } : {}), detail: { ...detail, cert: verdict.facts, ...(verdict.warning ? { warning: verdict.warning } : {}) } };
}

// ---------------------------------------------------------------------------
// C2: client STARTTLS, and the session the register and login checks reuse
// ---------------------------------------------------------------------------

export interface ClientSession {
  stream: XmppStream;
  tlsSocket: TLSSocket;
  features: Element;
  verdict: CertVerdict;
  detail: Record<string, unknown>;
}

/** Connects, negotiates STARTTLS, verifies the certificate and reads the post-TLS features. */
export async function openClientSession(target: ConnectTarget, ctx: ProbeContext): Promise<ClientSession> {
  const socket = await connectTcp(target.host, target.port, ctx);
  let plain: OpenedStream | undefined;
  try {
    plain = await openStream(socket, 'jabber:client', ctx);
    const { tlsSocket, starttlsRequired } = await negotiateStartTls(plain, ctx);
    const verdict = certificate(tlsSocket, 'xmpp-client', ctx);
    const secure = await openStream(tlsSocket, 'jabber:client', ctx);
    const detail = {
      streamFrom: plain.from,
      starttls: { offered: true, required: starttlsRequired },
      tls: tlsFacts(tlsSocket),
      mechanisms: saslMechanisms(secure.features),
      register: !!secure.features.getChild('register', NS.registerFeature),
    };
    return { stream: secure.stream, tlsSocket, features: secure.features, verdict, detail };
  } catch (err) {
    plain?.stream.close();
    socket.destroy();
    throw err;
  }
}

export async function checkC2sStartTls(target: ConnectTarget, ctx: ProbeContext): Promise<CheckOutcome> {
  const session = await openClientSession(target, ctx);
  try {
    const mechanisms = session.detail.mechanisms as string[];
    const problem = session.features.getChild('starttls', NS.tls)
      ? 'server offered STARTTLS again after TLS'
      : mechanisms.length === 0
        ? 'no SASL mechanisms offered after TLS'
        : undefined;
    return outcome(session.verdict, problem, session.detail);
  } finally {
    session.stream.close();
  }
}

// ---------------------------------------------------------------------------
// C3: direct TLS (XEP-0368)
// ---------------------------------------------------------------------------

export async function checkC2sDirectTls(target: ConnectTarget, ctx: ProbeContext): Promise<CheckOutcome> {
  // ALPN is offered but not required: Prosody 0.12 selects none.
  const tlsSocket = await connectTls({ host: target.host, port: target.port, servername: ctx.domain, alpn: ['xmpp-client'] }, ctx);
  try {
    const verdict = certificate(tlsSocket, 'xmpp-client', ctx);
    const tls = tlsFacts(tlsSocket);
    const secure = await openStream(tlsSocket, 'jabber:client', ctx);
    secure.stream.close();
    const mechanisms = saslMechanisms(secure.features);
    return outcome(verdict, mechanisms.length === 0 ? 'no SASL mechanisms offered' : undefined, { tls, mechanisms });
  } finally {
    tlsSocket.destroy();
  }
}

// ---------------------------------------------------------------------------
// C4: server-to-server. Never sends <db:result/>: dialback would make the
// server call back the `from` domain.
// ---------------------------------------------------------------------------

export async function checkS2sStartTls(target: ConnectTarget, ctx: ProbeContext): Promise<CheckOutcome> {
  const socket = await connectTcp(target.host, target.port, ctx);
  let plain: OpenedStream | undefined;
  try {
    plain = await openStream(socket, 'jabber:server', ctx);
    const dialbackBefore = !!plain.features.getChild('dialback', NS.dialbackFeature);
    const { tlsSocket, starttlsRequired } = await negotiateStartTls(plain, ctx);
    const verdict = certificate(tlsSocket, 'xmpp-server', ctx);
    const tls = tlsFacts(tlsSocket);
    const secure = await openStream(tlsSocket, 'jabber:server', ctx);
    secure.stream.close();
    const mechanisms = saslMechanisms(secure.features);
    const dialback = !!secure.features.getChild('dialback', NS.dialbackFeature);
    const auth = [...(dialback ? ['dialback'] : []), ...(mechanisms.includes('EXTERNAL') ? ['SASL EXTERNAL'] : [])];
    return outcome(verdict, auth.length === 0 ? 'server offers no way to authenticate (neither dialback nor SASL EXTERNAL)' : undefined, {
      starttls: { offered: true, required: starttlsRequired },
      dialbackBeforeTls: dialbackBefore,
      auth,
      tls,
    });
  } catch (err) {
    plain?.stream.close();
    socket.destroy();
    throw err;
  }
}

// ---------------------------------------------------------------------------
// C5: registration. Asks for the form (XEP-0077) and never submits it.
// ---------------------------------------------------------------------------

let iqCounter = 0;
const nextId = () => `probe-${++iqCounter}-${randomUUID().slice(0, 8)}`;

/** Sends an IQ and waits for the reply with the same id. */
async function iq(stream: XmppStream, type: 'get' | 'set', to: string | undefined, payload: string, ctx: ProbeContext): Promise<Element> {
  const id = nextId();
  stream.send(`<iq type='${type}' id='${id}'${to ? ` to='${escapeXML(to)}'` : ''}>${payload}</iq>`);
  return stream.nextMatching((el) => el.name === 'iq' && el.attrs.id === id, ctx.timeoutMs, `the reply to an IQ ${type}`);
}

function iqError(reply: Element): string {
  const error = reply.getChild('error');
  return error ? describeError(error, NS.stanzas) : 'unknown error';
}

export async function checkRegister(target: ConnectTarget, ctx: ProbeContext, registrationUrl: string | undefined): Promise<CheckOutcome> {
  let inBand: { ok: boolean; detail: Record<string, unknown>; error?: string };
  const session = await openClientSession(target, ctx);
  try {
    const reply = await iq(session.stream, 'get', ctx.domain, `<query xmlns='${NS.register}'/>`, ctx);
    if (reply.attrs.type === 'result') {
      const query = reply.getChild('query', NS.register);
      const fields = (query?.children ?? []).filter((c): c is Element => typeof c !== 'string').map((c) => serverText(c.name, 40)).slice(0, 30);
      const form = !!query?.getChild('x', NS.dataForms);
      const url = serverText(query?.getChild('x', NS.oob)?.getChildText('url') ?? '', 500);
      inBand = { ok: fields.length > 0 || form || !!url, detail: { feature: session.detail.register, fields, form, ...(url ? { url } : {}) } };
      if (!inBand.ok) inBand.error = 'server answered the registration query with an empty form';
    } else {
      inBand = { ok: false, detail: { feature: session.detail.register }, error: `in-band registration refused: ${iqError(reply)}` };
    }
  } finally {
    session.stream.close();
  }
  if (inBand.ok || !registrationUrl) return { ok: inBand.ok, ...(inBand.error ? { error: inBand.error } : {}), detail: { inBand: inBand.detail } };
  // In-band is refused; a registration web page is also acceptable (P8).
  const web = await httpGet(registrationUrl, ctx);
  const ok = web.status >= 200 && web.status < 300;
  return {
    ok,
    ...(ok ? {} : { error: `${inBand.error}; registration page ${registrationUrl} answered HTTP ${web.status}` }),
    detail: { inBand: inBand.detail, web: { url: web.url, status: web.status } },
  };
}

// ---------------------------------------------------------------------------
// C6: website
// ---------------------------------------------------------------------------

export async function checkWebsite(url: string, ctx: ProbeContext): Promise<CheckOutcome> {
  const result = await httpGet(url, ctx);
  const problem = result.status >= 200 && result.status < 300 ? undefined : `HTTP ${result.status} at ${result.url}`;
  const detail = { status: result.status, finalUrl: result.url, redirects: result.redirects };
  if (!result.cert) return { ok: !problem, ...(problem ? { error: problem } : {}), detail };
  return outcome(judgeCertificate(result.cert, result.certHost!, 'https', ctx.now()), problem, detail);
}

// ---------------------------------------------------------------------------
// C7–C9: with an account (PROBE_JID / PROBE_PASSWORD)
// ---------------------------------------------------------------------------

export interface Credentials {
  /** Local part of the account, e.g. `status-probe`. */
  username: string;
  password: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** Logs in (SCRAM-SHA-1, else PLAIN over TLS), restarts the stream and binds a resource. */
export async function login(target: ConnectTarget, credentials: Credentials, ctx: ProbeContext): Promise<ClientSession> {
  const session = await openClientSession(target, ctx);
  try {
    if (session.verdict.error) throw new ProbeError(`not logging in over a bad certificate: ${session.verdict.error}`);
    const mechanisms = session.detail.mechanisms as string[];
    let stream = session.stream;
    if (mechanisms.includes('SCRAM-SHA-1')) {
      const scram = new ScramSha1();
      stream.send(`<auth xmlns='${NS.sasl}' mechanism='SCRAM-SHA-1'>${b64(await scram.response(credentials))}</auth>`);
      const challenge = await stream.next(ctx.timeoutMs, 'the SASL challenge');
      if (!challenge.is('challenge', NS.sasl)) throw new ProbeError(`login failed: ${challenge.is('failure', NS.sasl) ? describeError(challenge, NS.sasl) : `unexpected <${serverText(challenge.name, 40)}>`}`);
      scram.challenge(unb64(challenge.text()));
      stream.send(`<response xmlns='${NS.sasl}'>${b64(await scram.response(credentials))}</response>`);
      const success = await stream.next(ctx.timeoutMs, 'the SASL result');
      if (!success.is('success', NS.sasl)) throw new ProbeError(`login failed: ${success.is('failure', NS.sasl) ? describeError(success, NS.sasl) : `unexpected <${serverText(success.name, 40)}>`}`);
      // The library leaves server verification to us (RFC 5802 §5.1 "v=").
      const expected = Buffer.from(scram._serverSignature ?? []).toString('base64');
      const verifier = /(?:^|,)v=([^,]*)/.exec(unb64(success.text()))?.[1];
      if (!verifier || verifier !== expected) throw new ProbeError('login failed: the server did not prove it knows the password (SCRAM signature mismatch)');
    } else if (mechanisms.includes('PLAIN')) {
      stream.send(`<auth xmlns='${NS.sasl}' mechanism='PLAIN'>${b64(`\u0000${credentials.username}\u0000${credentials.password}`)}</auth>`);
      const answer = await stream.next(ctx.timeoutMs, 'the SASL result');
      if (!answer.is('success', NS.sasl)) throw new ProbeError(`login failed: ${answer.is('failure', NS.sasl) ? describeError(answer, NS.sasl) : `unexpected <${serverText(answer.name, 40)}>`}`);
    } else {
      throw new ProbeError(`login failed: no supported SASL mechanism (server offers ${mechanisms.join(', ') || 'none'})`);
    }
    stream.detach();
    const restarted = await openStream(session.tlsSocket, 'jabber:client', ctx);
    stream = restarted.stream;
    const bound = await iq(stream, 'set', undefined, `<bind xmlns='${NS.bind}'><resource>status-probe-${randomUUID().slice(0, 8)}</resource></bind>`, ctx);
    if (bound.attrs.type !== 'result') throw new ProbeError(`resource binding failed: ${iqError(bound)}`);
    return { ...session, stream, features: restarted.features };
  } catch (err) {
    session.stream.close();
    throw err;
  }
}

interface Identity {
  category: string;
  type: string;
  name?: string;
}

async function discoInfo(stream: XmppStream, jid: string, ctx: ProbeContext): Promise<{ identities: Identity[]; features: string[]; forms: Element[] }> {
  const reply = await iq(stream, 'get', jid, `<query xmlns='${NS.discoInfo}'/>`, ctx);
  if (reply.attrs.type !== 'result') throw new ProbeError(`disco#info to ${jid} failed: ${iqError(reply)}`);
  const query = reply.getChild('query', NS.discoInfo);
  return {
    identities: (query?.getChildren('identity') ?? []).slice(0, 20).map((i) => ({
      category: serverText(i.attrs.category, 40),
      type: serverText(i.attrs.type, 40),
      ...(i.attrs.name ? { name: serverText(i.attrs.name, 100) } : {}),
    })),
    features: (query?.getChildren('feature') ?? []).slice(0, 200).map((f) => serverText(f.attrs.var, 200)),
    forms: query?.getChildren('x', NS.dataForms) ?? [],
  };
}

/** Reads the XEP-0157 contact addresses from the server's disco#info form. */
function contactAddresses(forms: Element[]): Record<string, string[]> {
  const form = forms.find((f) => f.getChildren('field').some((field) => field.attrs.var === 'FORM_TYPE' && field.getChildText('value') === 'http://jabber.org/network/serverinfo'));
  const out: Record<string, string[]> = {};
  for (const field of form?.getChildren('field') ?? []) {
    const name = field.attrs.var;
    if (!name || name === 'FORM_TYPE' || !name.endsWith('-addresses')) continue;
    out[serverText(name, 60)] = field.getChildren('value').slice(0, 20).map((v) => serverText(v.text(), 200));
  }
  return out;
}

export interface AuthenticatedResult {
  check: 'disco' | 'contact' | 'version' | 'ping';
  target: string;
  outcome: CheckOutcome;
  at: Date;
  ms: number;
}

/**
 * Runs disco, contact, version and ping in one logged-in session.
 * @param remoteDomain pinged over federation, e.g. `xmpp.org`
 */
export async function checkAuthenticated(
  target: ConnectTarget,
  credentials: Credentials,
  remoteDomain: string | undefined,
  ctx: ProbeContext,
): Promise<AuthenticatedResult[]> {
  const session = await login(target, credentials, ctx);
  const results: AuthenticatedResult[] = [];
  const run = async (check: AuthenticatedResult['check'], name: string, fn: () => Promise<CheckOutcome>) => {
    const at = ctx.now();
    const started = performance.now();
    let outcome: CheckOutcome;
    try {
      outcome = await fn();
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      outcome = { ok: false, error: err.message, detail: {} };
    }
    results.push({ check, target: name, outcome, at, ms: Math.round((performance.now() - started) * 10) / 10 });
  };
  const { stream } = session;
  try {
    await run('disco', ctx.domain, async () => {
      const reply = await iq(stream, 'get', ctx.domain, `<query xmlns='${NS.discoItems}'/>`, ctx);
      if (reply.attrs.type !== 'result') return { ok: false, error: `disco#items refused: ${iqError(reply)}`, detail: {} };
      const items = (reply.getChild('query', NS.discoItems)?.getChildren('item') ?? []).slice(0, 50);
      const services: { jid: string; identities?: Identity[]; upload?: boolean; error?: string }[] = [];
      for (const item of items) {
        const jid = serverText(item.attrs.jid, 253);
        try {
          const info = await discoInfo(stream, jid, ctx);
          services.push({ jid, identities: info.identities, upload: info.features.includes('urn:xmpp:http:upload:0') });
        } catch (err) {
          // A per-item failure (e.g. remote-server-not-found) is a warning, not a failure.
          services.push({ jid, error: (err as Error).message });
        }
      }
      const kinds = (cat: string, type?: string) => services.filter((s) => s.identities?.some((i) => i.category === cat && (!type || i.type === type))).map((s) => s.jid);
      return {
        ok: true,
        detail: { services, muc: kinds('conference', 'text'), proxy: kinds('proxy', 'bytestreams'), upload: services.filter((s) => s.upload).map((s) => s.jid), gateways: kinds('gateway'), pubsub: kinds('pubsub', 'service') },
      };
    });
    await run('contact', ctx.domain, async () => {
      const info = await discoInfo(stream, ctx.domain, ctx);
      const addresses = contactAddresses(info.forms);
      const admin = addresses['admin-addresses'] ?? [];
      return {
        ok: admin.length > 0,
        ...(admin.length ? {} : { error: 'server publishes no admin-addresses (XEP-0157)' }),
        detail: { identities: info.identities, addresses },
      };
    });
    await run('version', ctx.domain, async () => {
      const reply = await iq(stream, 'get', ctx.domain, `<query xmlns='${NS.version}'/>`, ctx);
      if (reply.attrs.type !== 'result') return { ok: false, error: `software version refused: ${iqError(reply)}`, detail: {} };
      const q = reply.getChild('query', NS.version);
      return { ok: true, detail: { name: serverText(q?.getChildText('name'), 100), version: serverText(q?.getChildText('version'), 100), os: serverText(q?.getChildText('os'), 100) } };
    });
    for (const to of [ctx.domain, ...(remoteDomain ? [remoteDomain] : [])]) {
      await run('ping', to, async () => {
        const started = performance.now();
        const reply = await iq(stream, 'get', to, `<ping xmlns='${NS.ping}'/>`, ctx);
        const rtt = Math.round(performance.now() - started);
        if (reply.attrs.type === 'result') return { ok: true, detail: { rtt } };
        const condition = iqError(reply);
        // A remote server that answers with any error other than "cannot reach
        // it" proves federation works; remote-server-* means it does not.
        const federationOk = to !== ctx.domain && !/^remote-server-/.test(condition);
        return { ok: federationOk, ...(federationOk ? {} : { error: `ping to ${to} failed: ${condition}` }), detail: { rtt, condition } };
      });
    }
  } finally {
    stream.close();
  }
  return results;
}
