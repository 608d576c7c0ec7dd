/**
 * The probe's checks, one function each, following
 * shared/research/xmpp-probing.md (C1–C9). Each takes a context and a target
 * and returns an outcome; a thrown ProbeError is a failed check with a reason.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resolveSrv } from 'node:dns/promises';
import type { TLSSocket } from 'node:tls';
import { escapeXML, type Element } from '@xmpp/xml';
import { judgeCertificate, type CertVerdict } from './cert-verdict.ts';
import { judgePing } from './federation-ping.ts';
import { judgeRegistration, type RegistrationFacts } from './registration.ts';
import { chooseMechanism, describeChoice, fallbackWithoutBinding, type LoginChoice } from './sasl.ts';
import { ScramClient, ScramError, type ChannelBindingType } from './scram.ts';
import { planSrvTargets, type ConnectTarget, type SrvPlan, type SrvRecord } from './srv.ts';
import type { XmppService } from './identity.ts';
import { httpGet } from './http-get-io.ts';
import { connectTcp, connectTls, peerCertificate, tlsFacts, type NetOptions } from './connect-io.ts';
import { daneFacts, lookupTlsa } from './dane-io.ts';
import { describeError, errorCondition, NS, ProbeError, serverText, StreamError, XmppStream } from './stream-io.ts';

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
  // Only a failed lookup fails DNS. A "." target is the domain saying the
  // service is decidedly not offered (RFC 2782, RFC 6120 §3.2.1): a fact the
  // policy judges, recorded in `notOffered` and by the checks that did not run.
  const problems: string[] = [];
  for (const s of ['xmpp-client', 'xmpp-server'] as const) {
    const plan = plans[s];
    if (plan.kind === 'dns-error') problems.push(`_${s}._tcp lookup failed (${plan.error})`);
  }
  const notOffered = names.filter((s) => plans[s].kind === 'not-offered');
  const describe = (service: (typeof names)[number], plan: SrvPlan) => {
    // Nothing connects to _xmpps-server without a record (no default port), so no fallback is listed.
    if (service === 'xmpps-server' && plan.kind === 'fallback') return { kind: 'no-records' };
    return plan.kind === 'srv' || plan.kind === 'fallback' ? { kind: plan.kind, targets: plan.targets.map((t) => `${t.host}:${t.port}`) } : plan;
  };
  return {
    outcome: {
      ok: problems.length === 0,
      ...(problems.length ? { error: problems.join('; ') } : {}),
      detail: { srv: Object.fromEntries(names.map((s) => [s, describe(s, plans[s])])), ...(notOffered.length ? { notOffered } : {}) },
    },
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

/** The channel-binding types listed in XEP-0440 `<sasl-channel-binding/>`, or undefined when the server lists none. */
function channelBindingTypes(features: Element): string[] | undefined {
  const listed = features.getChild('sasl-channel-binding', NS.saslChannelBinding);
  return listed?.getChildren('channel-binding').slice(0, 10).map((c) => serverText(c.attrs.type, 40));
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

export async function checkC2sStartTls(target: ConnectTarget, ctx: ProbeContext): Promise<CheckOutcome> {
  const session = await openClientSession(target, ctx, { dane: true });
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
  const tlsa = lookupTlsa(target.host, target.port, ctx);
  // ALPN is offered but not required: Prosody 0.12 selects none.
  const tlsSocket = await connectTls({ host: target.host, port: target.port, servername: ctx.domain, alpn: ['xmpp-client'] }, ctx);
  try {
    const verdict = certificate(tlsSocket, 'xmpp-client', ctx);
    const tls = tlsFacts(tlsSocket);
    const dane = await daneFacts(tlsa, tlsSocket);
    const secure = await openStream(tlsSocket, 'jabber:client', ctx);
    secure.stream.close();
    const mechanisms = saslMechanisms(secure.features);
    return outcome(verdict, mechanisms.length === 0 ? 'no SASL mechanisms offered' : undefined, { tls, mechanisms, dane });
  } finally {
    tlsSocket.destroy();
  }
}

// ---------------------------------------------------------------------------
// C4: server-to-server. Never sends <db:result/>: dialback would make the
// server call back the `from` domain.
// ---------------------------------------------------------------------------

export async function checkS2sStartTls(target: ConnectTarget, ctx: ProbeContext): Promise<CheckOutcome> {
  const tlsa = lookupTlsa(target.host, target.port, ctx);
  const socket = await connectTcp(target.host, target.port, ctx);
  let plain: OpenedStream | undefined;
  try {
    plain = await openStream(socket, 'jabber:server', ctx);
    const dialbackBefore = !!plain.features.getChild('dialback', NS.dialbackFeature);
    const { tlsSocket, starttlsRequired } = await negotiateStartTls(plain, ctx);
    const verdict = certificate(tlsSocket, 'xmpp-server', ctx);
    const tls = tlsFacts(tlsSocket);
    const dane = await daneFacts(tlsa, tlsSocket);
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
      dane,
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

/** What the pre-login registration query showed; never submits the form. */
async function registrationFacts(session: ClientSession, ctx: ProbeContext): Promise<RegistrationFacts & { form?: boolean; instructions?: string }> {
  const invite = [NS.ibrToken, NS.invite].filter((ns) => session.features.getChild('register', ns));
  const base = { feature: session.detail.register as boolean, invite };
  let reply: Element;
  try {
    reply = await iq(session.stream, 'get', ctx.domain, `<query xmlns='${NS.register}'/>`, ctx);
  } catch (err) {
    // RFC 6120 §4.9.3.12: a server may answer anything sent before login with a stream error.
    if (err instanceof StreamError) return { ...base, answer: { kind: 'refused', condition: err.condition } };
    throw err;
  }
  if (reply.attrs.type !== 'result') {
    const error = reply.getChild('error');
    return { ...base, answer: { kind: 'refused', condition: error ? errorCondition(error, NS.stanzas) : 'undefined-condition' } };
  }
  const query = reply.getChild('query', NS.register);
  const fields = (query?.children ?? []).filter((c): c is Element => typeof c !== 'string').map((c) => serverText(c.name, 40)).slice(0, 30);
  const form = query?.getChild('x', NS.dataForms);
  const formFields = (form?.getChildren('field') ?? [])
    .filter((f) => f.attrs.var && f.attrs.type !== 'hidden' && f.attrs.type !== 'fixed')
    .map((f) => serverText(f.attrs.var, 60))
    .slice(0, 30);
  const url = serverText(query?.getChild('x', NS.oob)?.getChildText('url') ?? '', 500);
  const instructions = serverText(query?.getChildText('instructions') ?? '', 300);
  return { ...base, answer: { kind: 'form', fields, formFields, ...(url ? { url } : {}) }, form: !!form, ...(instructions ? { instructions } : {}) };
}

export async function checkRegister(target: ConnectTarget, ctx: ProbeContext, registrationUrl: string | undefined): Promise<CheckOutcome> {
  const session = await openClientSession(target, ctx);
  let facts: Awaited<ReturnType<typeof registrationFacts>>;
  try {
    // A client refuses this connection, so nobody can register over it.
    if (session.verdict.error) {
      return { ok: false, error: `clients refuse this server's certificate, so they cannot register: ${session.verdict.error}`, detail: { cert: session.verdict.facts, inBand: { feature: session.detail.register } } };
    }
    facts = await registrationFacts(session, ctx);
  } finally {
    session.stream.close();
  }
  const judged = judgeRegistration(facts);
  const answer = facts.answer;
  const inBand = {
    verdict: judged.verdict,
    feature: facts.feature,
    ...(facts.invite.length ? { invite: facts.invite } : {}),
    ...(answer.kind === 'form'
      ? { fields: answer.fields, form: !!facts.form, ...(answer.url ? { url: answer.url } : {}), ...(facts.instructions ? { instructions: facts.instructions } : {}) }
      : { condition: answer.condition }),
    ...(judged.reason ? { reason: judged.reason } : {}),
  };
  const warning = judged.warning ? { warning: judged.warning } : {};
  if (judged.verdict === 'open') return { ok: true, detail: { inBand, ...warning } };
  // In-band is closed; a registration web page is also acceptable (P8): the
  // configured one, else the one the server points to (XEP-0077 §5).
  const webUrl = registrationUrl ?? (answer.kind === 'form' ? answer.url : undefined);
  if (!webUrl) return { ok: false, error: judged.reason, detail: { inBand } };
  let web: { url: string; status: number } | { url: string; error: string };
  try {
    const got = await httpGet(webUrl, ctx);
    web = { url: got.url, status: got.status };
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    web = { url: webUrl, error: err.message };
  }
  const ok = 'status' in web && web.status >= 200 && web.status < 300;
  const webProblem = 'status' in web ? `registration page ${webUrl} answered HTTP ${web.status}` : `registration page ${webUrl}: ${web.error}`;
  return { ok, ...(ok ? {} : { error: `${judged.reason}; ${webProblem}` }), detail: { inBand, web } };
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

/** How the probe logged in, for the records. */
export interface LoginFacts {
  /** e.g. `SCRAM-SHA-256-PLUS` */
  mechanism: string;
  /** e.g. `tls-unique`; only for `-PLUS` mechanisms. */
  channelBinding?: ChannelBindingType;
  /** Time from connecting to a bound resource, both logins included, e.g. `412.5`. */
  ms: number;
  /**
   * Set when a channel-bound login was refused and the probe logged in
   * again without binding (issue 21), e.g. `{ mechanism: 'SCRAM-SHA-1-PLUS',
   * channelBinding: 'tls-unique', error: 'not-authorized (Invalid channel binding)' }`.
   */
  refusedBinding?: { mechanism: string; channelBinding: ChannelBindingType; error: string };
}

/**
 * The server answered the login with a SASL `<failure/>`; `condition` is
 * e.g. `not-authorized`. What it means is login-failure.ts's to decide.
 */
export class LoginRefused extends ProbeError {
  readonly condition: string;
  /** The condition and the server's text, e.g. `not-authorized (Invalid channel binding)`. */
  readonly reason: string;
  constructor(condition: string, reason: string) {
    super(`login failed: ${reason}`);
    this.name = 'LoginRefused';
    this.condition = condition;
    this.reason = reason;
  }
}

/** The channel-binding data for this TLS connection (RFC 5929, RFC 9266). */
function bindingData(tlsSocket: TLSSocket, type: ChannelBindingType): Buffer {
  // tls-unique is the first Finished message of the handshake: the client's
  // own in a full handshake. Over TLS 1.3, OpenSSL gives the client's
  // Finished too, which is what ejabberd 23.01 checks (issue 21).
  const data = type === 'tls-unique' ? tlsSocket.getFinished() : tlsSocket.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0));
  if (!data || data.length === 0) throw new ProbeError(`login failed: no ${type} channel-binding data from this TLS connection`);
  return data;
}

/** A SASL answer that is not success: a LoginRefused for `<failure/>`, else a ProbeError. */
function saslFailure(el: Element): ProbeError {
  if (el.is('failure', NS.sasl)) return new LoginRefused(errorCondition(el, NS.sasl), describeError(el, NS.sasl));
  return new ProbeError(`login failed: unexpected <${serverText(el.name, 40)}>`);
}

/** SCRAM (RFC 5802) over the stream; verifies the server's signature too. */
async function scramLogin(stream: XmppStream, scram: ScramClient, ctx: ProbeContext): Promise<void> {
  try {
    stream.send(`<auth xmlns='${NS.sasl}' mechanism='${scram.mechanism}'>${b64(scram.clientFirst())}</auth>`);
    const challenge = await stream.next(ctx.timeoutMs, 'the SASL challenge');
    if (!challenge.is('challenge', NS.sasl)) throw saslFailure(challenge);
    stream.send(`<response xmlns='${NS.sasl}'>${b64(scram.clientFinal(unb64(challenge.text())))}</response>`);
    let result = await stream.next(ctx.timeoutMs, 'the SASL result');
    // RFC 6120 §6.4.6 lets the server send its final message as a challenge and then succeed without data.
    let serverFinal = result.text();
    if (result.is('challenge', NS.sasl)) {
      stream.send(`<response xmlns='${NS.sasl}'/>`);
      result = await stream.next(ctx.timeoutMs, 'the SASL result');
      serverFinal ||= result.text();
    }
    if (!result.is('success', NS.sasl)) throw saslFailure(result);
    scram.verifyServerFinal(unb64(serverFinal));
  } catch (err) {
    if (err instanceof ScramError) throw new ProbeError(`login failed: ${err.message}`);
    throw err;
  }
}

/** One SASL exchange with the chosen mechanism; throws LoginRefused on `<failure/>`. */
async function authenticate(session: ClientSession, choice: LoginChoice, credentials: Credentials, ctx: ProbeContext): Promise<void> {
  if ('hash' in choice) {
    const binding = choice.binding ? { type: choice.binding, data: bindingData(session.tlsSocket, choice.binding) } : undefined;
    const scram = new ScramClient({ hash: choice.hash, username: credentials.username, password: credentials.password, nonce: randomBytes(24).toString('base64'), binding, couldBind: choice.couldBind });
    await scramLogin(session.stream, scram, ctx);
    return;
  }
  session.stream.send(`<auth xmlns='${NS.sasl}' mechanism='PLAIN'>${b64(`\u0000${credentials.username}\u0000${credentials.password}`)}</auth>`);
  const answer = await session.stream.next(ctx.timeoutMs, 'the SASL result');
  if (!answer.is('success', NS.sasl)) throw saslFailure(answer);
}

/**
 * Logs in with the strongest mechanism offered (SCRAM-SHA-512/256/1, with
 * channel binding when possible, else PLAIN over TLS), restarts the stream
 * and binds a resource. When the server refuses the channel-bound login,
 * logs in once more, on a new connection, without binding (issue 21): the
 * facts then name what was refused, and the login record carries a warning.
 */
export async function login(target: ConnectTarget, credentials: Credentials, ctx: ProbeContext): Promise<ClientSession & { login: LoginFacts }> {
  const started = performance.now();
  let session = await openClientSession(target, ctx);
  try {
    if (session.verdict.error) throw new ProbeError(`not logging in over a bad certificate: ${session.verdict.error}`);
    const mechanisms = session.detail.mechanisms as string[];
    const protocol = session.tlsSocket.getProtocol() ?? 'unknown';
    // XEP-0440: the binding types the server supports, when it says.
    const serverBindings = channelBindingTypes(session.features);
    const first = chooseMechanism(mechanisms, protocol, serverBindings);
    if (!first) throw new ProbeError(`login failed: no supported SASL mechanism (server offers ${mechanisms.join(', ') || 'none'})`);
    let used = first;
    let refusedBinding: LoginFacts['refusedBinding'];
    try {
      await authenticate(session, first, credentials, ctx);
    } catch (err) {
      const second = fallbackWithoutBinding(mechanisms, first);
      // Only a refusal (or binding data this connection cannot give) is worth a second login; a broken stream is not.
      const refused = err instanceof LoginRefused ? err.reason : err instanceof ProbeError && /channel-binding data/.test(err.message) ? err.message.replace(/^login failed: /, '') : undefined;
      if (!second || refused === undefined || !('binding' in first) || !first.binding) throw err;
      refusedBinding = { mechanism: first.mechanism, channelBinding: first.binding, error: refused };
      session.stream.close();
      session = await openClientSession(target, ctx);
      try {
        await authenticate(session, second, credentials, ctx);
      } catch (again) {
        if (again instanceof LoginRefused) {
          // The same answer twice: the binding was not the problem (usually the password).
          const both = again.reason === refused
            ? `${again.reason}, with and without channel binding (${describeChoice(first)}, then ${describeChoice(second)})`
            : `${again.reason} with ${describeChoice(second)}, after ${describeChoice(first)} was refused (${refused})`;
          throw new LoginRefused(again.condition, both);
        }
        throw again;
      }
      used = second;
    }
    session.stream.detach();
    const restarted = await openStream(session.tlsSocket, 'jabber:client', ctx);
    const stream = restarted.stream;
    session = { ...session, stream };
    const bound = await iq(stream, 'set', undefined, `<bind xmlns='${NS.bind}'><resource>status-probe-${randomUUID().slice(0, 8)}</resource></bind>`, ctx);
    if (bound.attrs.type !== 'result') throw new ProbeError(`resource binding failed: ${iqError(bound)}`);
    const login: LoginFacts = {
      mechanism: used.mechanism,
      ...('binding' in used && used.binding ? { channelBinding: used.binding } : {}),
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(refusedBinding ? { refusedBinding } : {}),
    };
    return { ...session, features: restarted.features, login };
  } catch (err) {
    session.stream.close();
    throw err;
  }
}

/** The warning a login record carries when the server refused channel binding, e.g. for ejabberd with the wrong type. */
export function refusedBindingWarning(login: LoginFacts): string | undefined {
  const r = login.refusedBinding;
  return r ? `the server refused ${r.mechanism} with channel binding ${r.channelBinding} (${r.error}); logged in again with ${login.mechanism}, without channel binding` : undefined;
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
  check: 'login' | 'disco' | 'contact' | 'version' | 'ping' | 'federation';
  target: string;
  outcome: CheckOutcome;
  at: Date;
  ms: number;
}

/** What became of one federation ping: the reply, or why none came. */
type PingOutcome = { to: string; reply: Element; rtt: number } | { to: string; error: string; rtt: number };

/**
 * Pings many domains over one stream, at most `concurrency` in flight, each
 * with its own deadline of `ctx.timeoutMs` (issue 17). Replies are matched
 * by id: one reader takes every element off the stream and hands each reply
 * to its ping, so a slow server never holds up the others. A broken stream
 * fails every ping still waiting, and the ones never sent, with its reason.
 */
async function pingMany(stream: XmppStream, domains: readonly string[], concurrency: number, ctx: ProbeContext): Promise<PingOutcome[]> {
  const results: PingOutcome[] = [];
  const waiting = new Map<string, { to: string; sent: number; deadline: number }>();
  const queue = [...domains];
  const limit = Math.max(1, concurrency);
  for (;;) {
    while (waiting.size < limit && queue.length > 0) {
      const to = queue.shift()!;
      const id = nextId();
      stream.send(`<iq type='get' id='${id}' to='${escapeXML(to)}'><ping xmlns='${NS.ping}'/></iq>`);
      const sent = performance.now();
      waiting.set(id, { to, sent, deadline: Date.now() + ctx.timeoutMs });
    }
    if (waiting.size === 0) return results;
    // bounded: at most `limit` pings are in flight, so this spread is small.
    const nearest = Math.min(...[...waiting.values()].map((w) => w.deadline));
    let el: Element;
    try {
      el = await stream.next(Math.max(1, nearest - Date.now()), 'a ping reply');
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      const now = Date.now();
      if (now < nearest) {
        // The stream itself broke: nothing more will come back.
        for (const w of waiting.values()) results.push({ to: w.to, error: `ping to ${w.to} failed: ${err.message}`, rtt: Math.round(performance.now() - w.sent) });
        for (const to of queue) results.push({ to, error: `ping to ${to} failed: ${err.message}`, rtt: 0 });
        return results;
      }
      for (const [id, w] of waiting) {
        if (w.deadline > now) continue;
        waiting.delete(id);
        results.push({ to: w.to, error: `ping to ${w.to} failed: timed out after ${ctx.timeoutMs} ms waiting for its reply`, rtt: Math.round(performance.now() - w.sent) });
      }
      continue;
    }
    const id = el.name === 'iq' ? el.attrs.id : undefined;
    const w = id === undefined ? undefined : waiting.get(id);
    if (id === undefined || !w) continue; // presence, messages, or a reply that came after its deadline
    waiting.delete(id);
    results.push({ to: w.to, reply: el, rtt: Math.round(performance.now() - w.sent) });
  }
}

/** Judges a ping reply with the federation rule (federation-ping.ts); the detail keeps the condition and `by`. */
function pingReplyOutcome(reply: Element, rtt: number, to: string, ctx: ProbeContext): CheckOutcome {
  if (reply.attrs.type === 'result') return { ok: true, detail: { rtt } };
  const condition = iqError(reply);
  const by = reply.getChild('error')?.attrs.by;
  const verdict = judgePing({ type: 'error', condition, ...(by ? { by: serverText(by, 300) } : {}) }, to, ctx.domain);
  return { ok: verdict.ok, ...(verdict.error ? { error: verdict.error } : {}), detail: { rtt, condition, ...(by ? { by: serverText(by, 300) } : {}) } };
}

/** Options of the logged-in checks. */
export interface AuthenticatedOptions {
  /** Pinged over federation by the `ping` check, e.g. `xmpp.org`. */
  remoteDomain?: string;
  /** Remote servers each pinged by the `federation` check (issue 17), e.g. `['xmpp.org', 'conversations.im']`. */
  federation?: readonly string[];
  /** Federation pings in flight at once, e.g. `10`. */
  federationConcurrency?: number;
}

/**
 * Runs disco, contact, version, ping and federation in one logged-in session.
 */
export async function checkAuthenticated(
  target: ConnectTarget,
  credentials: Credentials,
  options: AuthenticatedOptions,
  ctx: ProbeContext,
): Promise<AuthenticatedResult[]> {
  const { remoteDomain } = options;
  const at = ctx.now();
  const session = await login(target, credentials, ctx);
  const results: AuthenticatedResult[] = [];
  // Issue 21: the login is one record of its own; a refused binding is its warning.
  const warning = refusedBindingWarning(session.login);
  results.push({
    check: 'login',
    target: `${target.host}:${target.port}`,
    outcome: { ok: true, detail: { login: session.login, tls: tlsFacts(session.tlsSocket), ...(warning ? { warning } : {}) } },
    at,
    ms: session.login.ms,
  });
  // Each check needs the login, so its time includes it (and says how long it took).
  const run = async (check: AuthenticatedResult['check'], name: string, fn: () => Promise<CheckOutcome>) => {
    const started = performance.now();
    let outcome: CheckOutcome;
    try {
      outcome = await fn();
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      outcome = { ok: false, error: err.message, detail: {} };
    }
    outcome.detail = { ...outcome.detail, login: session.login };
    results.push({ check, target: name, outcome, at, ms: Math.round((session.login.ms + performance.now() - started) * 10) / 10 });
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
        let reply: Element;
        try {
          reply = await iq(stream, 'get', to, `<ping xmlns='${NS.ping}'/>`, ctx);
        } catch (err) {
          if (err instanceof ProbeError) throw new ProbeError(`ping to ${to} failed: ${err.message}`, err.retryable);
          throw err;
        }
        return pingReplyOutcome(reply, Math.round(performance.now() - started), to, ctx);
      });
    }
    // Federation, server by server: one record per remote server; its time
    // is the ping's round trip alone (the login is in detail.login).
    const remotes = [...new Set((options.federation ?? []).map((d) => d.toLowerCase()))].filter((d) => d !== ctx.domain.toLowerCase());
    const pingedAt = ctx.now();
    for (const p of await pingMany(stream, remotes, options.federationConcurrency ?? 10, ctx)) {
      const outcome = 'reply' in p ? pingReplyOutcome(p.reply, p.rtt, p.to, ctx) : { ok: false, error: p.error, detail: { rtt: p.rtt } };
      outcome.detail = { ...outcome.detail, login: session.login };
      results.push({ check: 'federation', target: p.to, outcome, at: pingedAt, ms: p.rtt });
    }
  } finally {
    stream.close();
  }
  return results;
}
