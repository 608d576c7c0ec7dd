/**
 * The checks without an account: C2 client STARTTLS, C3 direct TLS
 * (XEP-0368), C4 server-to-server (never sends <db:result/>: dialback would
 * make the server call back the `from` domain), C5 registration (asks for
 * the form, never submits it) and C6 the website.
 */
import { type Element } from '@xmpp/xml';
import type { ProblemKind } from '../schemas.ts';
import { judgeCertificate } from './cert-verdict.ts';
import { judgeRegistration, type RegistrationFacts } from './registration.ts';
import { type ConnectTarget } from './srv.ts';
import { httpGet } from './http-get-io.ts';
import { connectTcp, connectTls, tlsFacts } from './connect-io.ts';
import { daneFacts, lookupTlsa } from './dane-io.ts';
import { errorCondition, NS, ProbeError, serverText, StreamError } from './stream-io.ts';
import {
  type CheckOutcome,
  type ClientSession,
  type OpenedStream,
  type ProbeContext,
  certificate,
  failed,
  iq,
  negotiateStartTls,
  openClientSession,
  openStream,
  outcome,
  refusedCertificate,
  saslMechanisms,
} from './session-io.ts';

export async function checkC2sStartTls(target: ConnectTarget, ctx: ProbeContext): Promise<CheckOutcome> {
  const session = await openClientSession(target, ctx, { dane: true });
  try {
    const mechanisms = session.detail.mechanisms as string[];
    const problem = session.features.getChild('starttls', NS.tls)
      ? { kind: 'features-missing' as const, text: 'server offered STARTTLS again after TLS' }
      : mechanisms.length === 0
        ? { kind: 'features-missing' as const, text: 'no SASL mechanisms offered after TLS' }
        : undefined;
    return outcome(session.verdict, problem, session.detail);
  } finally {
    session.stream.close();
  }
}

// C3: direct TLS (XEP-0368)

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
    return outcome(verdict, mechanisms.length === 0 ? { kind: 'features-missing', text: 'no SASL mechanisms offered' } : undefined, { tls, mechanisms, dane });
  } finally {
    tlsSocket.destroy();
  }
}

// C4: server-to-server. Never sends <db:result/>: dialback would make the
// server call back the `from` domain.

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
    return outcome(
      verdict,
      auth.length === 0 ? { kind: 'features-missing', text: 'server offers no way to authenticate (neither dialback nor SASL EXTERNAL)' } : undefined,
      {
        starttls: { offered: true, required: starttlsRequired },
        dialbackBeforeTls: dialbackBefore,
        auth,
        tls,
        dane,
      },
    );
  } catch (err) {
    plain?.stream.close();
    socket.destroy();
    throw err;
  }
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
  const fields = (query?.children ?? [])
    .filter((c): c is Element => typeof c !== 'string')
    .map((c) => serverText(c.name, 40))
    .slice(0, 30);
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
    const refused = refusedCertificate(session.verdict);
    if (refused)
      return failed('client-refuses-certificate', `clients refuse this server's certificate, so they cannot register: ${refused}`, {
        cert: session.verdict.facts,
        inBand: { feature: session.detail.register },
      });
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
      ? {
          fields: answer.fields,
          form: !!facts.form,
          ...(answer.url ? { url: answer.url } : {}),
          ...(facts.instructions ? { instructions: facts.instructions } : {}),
        }
      : { condition: answer.condition }),
    ...(judged.reason ? { reason: judged.reason } : {}),
  };
  const warning = judged.warning ? { warning: judged.warning } : {};
  if (judged.verdict === 'open') return { ok: true, detail: { inBand, ...warning } };
  // In-band is closed; a registration web page is also acceptable (P8): the
  // configured one, else the one the server points to (XEP-0077 §5).
  const webUrl = registrationUrl ?? (answer.kind === 'form' ? answer.url : undefined);
  // judged.reason is set whenever in-band registration is not open.
  const closed = { kind: 'registration-closed' as const, text: judged.reason! };
  if (!webUrl) return { ok: false, problems: [closed], detail: { inBand } };
  let web: { url: string; status: number } | { url: string; error: string; kind: ProblemKind };
  try {
    const got = await httpGet(webUrl, ctx);
    web = { url: got.url, status: got.status };
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    web = { url: webUrl, error: err.message, kind: err.kind };
  }
  const ok = 'status' in web && web.status >= 200 && web.status < 300;
  const webProblem =
    'status' in web
      ? { kind: 'http-failed' as const, text: `registration page ${webUrl} answered HTTP ${web.status}` }
      : { kind: web.kind, text: `registration page ${webUrl}: ${web.error}` };
  return { ok, ...(ok ? {} : { problems: [closed, webProblem] }), detail: { inBand, web: 'status' in web ? web : { url: web.url, error: web.error } } };
}

// C6: website

export async function checkWebsite(url: string, ctx: ProbeContext): Promise<CheckOutcome> {
  const result = await httpGet(url, ctx);
  const problem = result.status >= 200 && result.status < 300 ? undefined : { kind: 'http-failed' as const, text: `HTTP ${result.status} at ${result.url}` };
  const detail = { status: result.status, finalUrl: result.url, redirects: result.redirects };
  if (!result.cert) return { ok: !problem, ...(problem ? { problems: [problem] } : {}), detail };
  return outcome(judgeCertificate(result.cert, result.certHost!, 'https', ctx.now()), problem, detail);
}
