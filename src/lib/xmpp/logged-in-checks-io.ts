/**
 * C7–C9, with an account (PROBE_JID / PROBE_PASSWORD): the login (SCRAM
 * with channel binding, and the fallback without it), service discovery,
 * contact addresses, version and pings, and federation pings.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { escapeXML, type Element } from '@xmpp/xml';
import { judgePing } from './federation-ping.ts';
import { chooseMechanism, describeChoice, fallbackWithoutBinding, type LoginChoice } from './sasl.ts';
import { ScramClient, ScramError, type ChannelBindingType } from './scram.ts';
import { type ConnectTarget } from './srv.ts';
import { tlsFacts } from './connect-io.ts';
import { describeError, errorCondition, NS, ProbeError, serverText, XmppStream } from './stream-io.ts';
import {
  type CheckOutcome,
  type ClientSession,
  type ProbeContext,
  channelBindingTypes,
  failed,
  iq,
  iqError,
  nextId,
  openClientSession,
  openStream,
  refusedCertificate,
} from './session-io.ts';

// C7–C9: with an account (PROBE_JID / PROBE_PASSWORD)

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
    super(`login failed: ${reason}`, false, 'login-failed');
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
  if (!data || data.length === 0) throw new ProbeError(`login failed: no ${type} channel-binding data from this TLS connection`, false, 'login-failed');
  return data;
}

/** A SASL answer that is not success: a LoginRefused for `<failure/>`, else a ProbeError. */
function saslFailure(el: Element): ProbeError {
  if (el.is('failure', NS.sasl)) return new LoginRefused(errorCondition(el, NS.sasl), describeError(el, NS.sasl));
  return new ProbeError(`login failed: unexpected <${serverText(el.name, 40)}>`, false, 'login-failed');
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
    if (err instanceof ScramError) throw new ProbeError(`login failed: ${err.message}`, false, 'login-failed');
    throw err;
  }
}

/** One SASL exchange with the chosen mechanism; throws LoginRefused on `<failure/>`. */
async function authenticate(session: ClientSession, choice: LoginChoice, credentials: Credentials, ctx: ProbeContext): Promise<void> {
  if ('hash' in choice) {
    const binding = choice.binding ? { type: choice.binding, data: bindingData(session.tlsSocket, choice.binding) } : undefined;
    const scram = new ScramClient({
      hash: choice.hash,
      username: credentials.username,
      password: credentials.password,
      nonce: randomBytes(24).toString('base64'),
      binding,
      couldBind: choice.couldBind,
    });
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
    const refused = refusedCertificate(session.verdict);
    if (refused) throw new ProbeError(`not logging in over a bad certificate: ${refused}`, false, 'client-refuses-certificate');
    const mechanisms = session.detail.mechanisms as string[];
    const protocol = session.tlsSocket.getProtocol() ?? 'unknown';
    // XEP-0440: the binding types the server supports, when it says.
    const serverBindings = channelBindingTypes(session.features);
    const first = chooseMechanism(mechanisms, protocol, serverBindings);
    if (!first) throw new ProbeError(`login failed: no supported SASL mechanism (server offers ${mechanisms.join(', ') || 'none'})`, false, 'login-failed');
    let used = first;
    let refusedBinding: LoginFacts['refusedBinding'];
    try {
      await authenticate(session, first, credentials, ctx);
    } catch (err) {
      const second = fallbackWithoutBinding(mechanisms, first);
      // Only a refusal (or binding data this connection cannot give) is worth a second login; a broken stream is not.
      const refused =
        err instanceof LoginRefused
          ? err.reason
          : err instanceof ProbeError && /channel-binding data/.test(err.message)
            ? err.message.replace(/^login failed: /, '')
            : undefined;
      if (!second || refused === undefined || !('binding' in first) || !first.binding) throw err;
      refusedBinding = { mechanism: first.mechanism, channelBinding: first.binding, error: refused };
      session.stream.close();
      session = await openClientSession(target, ctx);
      try {
        await authenticate(session, second, credentials, ctx);
      } catch (again) {
        if (again instanceof LoginRefused) {
          // The same answer twice: the binding was not the problem (usually the password).
          const both =
            again.reason === refused
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
    if (bound.attrs.type !== 'result') throw new ProbeError(`resource binding failed: ${iqError(bound)}`, false, 'login-failed');
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
  return r
    ? `the server refused ${r.mechanism} with channel binding ${r.channelBinding} (${r.error}); logged in again with ${login.mechanism}, without channel binding`
    : undefined;
}

interface Identity {
  category: string;
  type: string;
  name?: string;
}

async function discoInfo(stream: XmppStream, jid: string, ctx: ProbeContext): Promise<{ identities: Identity[]; features: string[]; forms: Element[] }> {
  const reply = await iq(stream, 'get', jid, `<query xmlns='${NS.discoInfo}'/>`, ctx);
  if (reply.attrs.type !== 'result') throw new ProbeError(`disco#info to ${jid} failed: ${iqError(reply)}`, false, 'request-refused');
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
  const form = forms.find((f) =>
    f.getChildren('field').some((field) => field.attrs.var === 'FORM_TYPE' && field.getChildText('value') === 'http://jabber.org/network/serverinfo'),
  );
  const out: Record<string, string[]> = {};
  for (const field of form?.getChildren('field') ?? []) {
    const name = field.attrs.var;
    if (!name || name === 'FORM_TYPE' || !name.endsWith('-addresses')) continue;
    out[serverText(name, 60)] = field
      .getChildren('value')
      .slice(0, 20)
      .map((v) => serverText(v.text(), 200));
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
        for (const w of waiting.values())
          results.push({ to: w.to, error: `ping to ${w.to} failed: ${err.message}`, rtt: Math.round(performance.now() - w.sent) });
        for (const to of queue) results.push({ to, error: `ping to ${to} failed: ${err.message}`, rtt: 0 });
        return results;
      }
      for (const [id, w] of waiting) {
        if (w.deadline > now) continue;
        waiting.delete(id);
        results.push({
          to: w.to,
          error: `ping to ${w.to} failed: timed out after ${ctx.timeoutMs} ms waiting for its reply`,
          rtt: Math.round(performance.now() - w.sent),
        });
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
  return {
    ok: verdict.ok,
    ...(verdict.error ? { problems: [{ kind: 'ping-failed' as const, text: verdict.error }] } : {}),
    detail: { rtt, condition, ...(by ? { by: serverText(by, 300) } : {}) },
  };
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
      outcome = { ok: false, problems: [err.problem], detail: {} };
    }
    outcome.detail = { ...outcome.detail, login: session.login };
    results.push({ check, target: name, outcome, at, ms: Math.round((session.login.ms + performance.now() - started) * 10) / 10 });
  };
  const { stream } = session;
  try {
    await run('disco', ctx.domain, async () => {
      const reply = await iq(stream, 'get', ctx.domain, `<query xmlns='${NS.discoItems}'/>`, ctx);
      if (reply.attrs.type !== 'result') return failed('request-refused', `disco#items refused: ${iqError(reply)}`);
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
      const kinds = (cat: string, type?: string) =>
        services.filter((s) => s.identities?.some((i) => i.category === cat && (!type || i.type === type))).map((s) => s.jid);
      return {
        ok: true,
        detail: {
          services,
          muc: kinds('conference', 'text'),
          proxy: kinds('proxy', 'bytestreams'),
          upload: services.filter((s) => s.upload).map((s) => s.jid),
          gateways: kinds('gateway'),
          pubsub: kinds('pubsub', 'service'),
        },
      };
    });
    await run('contact', ctx.domain, async () => {
      const info = await discoInfo(stream, ctx.domain, ctx);
      const addresses = contactAddresses(info.forms);
      const admin = addresses['admin-addresses'] ?? [];
      const detail = { identities: info.identities, addresses };
      return admin.length ? { ok: true, detail } : failed('no-contact-addresses', 'server publishes no admin-addresses (XEP-0157)', detail);
    });
    await run('version', ctx.domain, async () => {
      const reply = await iq(stream, 'get', ctx.domain, `<query xmlns='${NS.version}'/>`, ctx);
      if (reply.attrs.type !== 'result') return failed('request-refused', `software version refused: ${iqError(reply)}`);
      const q = reply.getChild('query', NS.version);
      return {
        ok: true,
        detail: {
          name: serverText(q?.getChildText('name'), 100),
          version: serverText(q?.getChildText('version'), 100),
          os: serverText(q?.getChildText('os'), 100),
        },
      };
    });
    for (const to of [ctx.domain, ...(remoteDomain ? [remoteDomain] : [])]) {
      await run('ping', to, async () => {
        const started = performance.now();
        let reply: Element;
        try {
          reply = await iq(stream, 'get', to, `<ping xmlns='${NS.ping}'/>`, ctx);
        } catch (err) {
          if (err instanceof ProbeError) throw new ProbeError(`ping to ${to} failed: ${err.message}`, err.retryable, 'ping-failed');
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
      const outcome = 'reply' in p ? pingReplyOutcome(p.reply, p.rtt, p.to, ctx) : failed('ping-failed', p.error, { rtt: p.rtt });
      outcome.detail = { ...outcome.detail, login: session.login };
      results.push({ check: 'federation', target: p.to, outcome, at: pingedAt, ms: p.rtt });
    }
  } finally {
    stream.close();
  }
  return results;
}
