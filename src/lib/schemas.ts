/**
 * Every shape of data this site reads, in one module.
 *
 * The build, `npm run check`, the probe scripts and the tests all import these
 * schemas, so a rule written here holds everywhere. Types come from
 * `z.output<…>` so that code and validation can never drift apart.
 *
 * Rules that need more than one file (component ids in incidents must exist in
 * the site config) are schema factories here (`createIncidentSchema(ids)`);
 * the rest of the cross-file rules (unique slugs, file-name dates) live in
 * `content/content.ts`, which applies them while assembling the model.
 *
 * This module sits below every domain folder: it imports only `astro/zod`
 * and the pure helpers in `shared/`.
 */
import { z } from 'astro/zod';
import { isCalendarDate, parseOffsetTimestamp } from './shared/time.ts';
import { quoteShort } from './shared/text.ts';
import { dnsNameProblem } from './shared/dns-name.ts';

// ---------------------------------------------------------------------------
// Vocabularies. Closed lists are enums so that a typo is an error, not a
// silently wrong status (cState's "make sure to match the name" problem).
// ---------------------------------------------------------------------------

/** How bad an incident is for users, in Statuspage's words. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export const ImpactSchema = z.enum(IMPACTS);
export type Impact = z.output<typeof ImpactSchema>;

/** Where an incident is in its life, one value per timeline update. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.output<typeof IncidentStatusSchema>;

/** What an incident does to one component while it is unresolved. */
export const COMPONENT_IMPACTS = ['degraded', 'partial-outage', 'major-outage'] as const;
export const ComponentImpactSchema = z.enum(COMPONENT_IMPACTS);
export type ComponentImpact = z.output<typeof ComponentImpactSchema>;

/**
 * Every state a component can be shown in, from best to worst. `unknown` is
 * only ever set by monitoring data (stale or missing), never by an admin.
 */
export const COMPONENT_STATES = [
  'operational',
  'under-maintenance',
  'unknown',
  'degraded',
  'partial-outage',
  'major-outage',
] as const;
export const ComponentStateSchema = z.enum(COMPONENT_STATES);
export type ComponentState = z.output<typeof ComponentStateSchema>;

/** Every check the probe runs; the first six need no account, `login` and the ones after it do. */
export const PROBE_CHECKS = [
  'dns',
  'c2s-starttls',
  'c2s-directtls',
  's2s-starttls',
  'register',
  'website',
  // Issue 21: one record per run with an account: whether the probe account
  // logged in (and how: detail.login); the checks after it need that session.
  'login',
  'disco',
  'contact',
  'version',
  'ping',
  // Issue 17: one record per remote server pinged over federation (XEP-0199), `target` = that server.
  'federation',
] as const;
export const ProbeCheckSchema = z.enum(PROBE_CHECKS);
export type ProbeCheck = z.output<typeof ProbeCheckSchema>;

/**
 * Why a check did not run, recorded instead of a result so that readers see
 * "not run" rather than a gap:
 * - `no-account`: neither PROBE_JID nor PROBE_PASSWORD is set (logged-in checks);
 * - `no-password`: PROBE_JID is set without PROBE_PASSWORD;
 * - `account-elsewhere`: PROBE_JID is on another domain than the one probed;
 * - `no-client-target`: DNS gave no client connection to log in over;
 * - `not-offered`: an SRV record with the target "." says the service is
 *   decidedly not offered (RFC 2782, RFC 6120 §3.2.1); the policy decides
 *   whether that fails anything;
 * - `login-failed`: the probe account could not log in, so the checks that
 *   need its session (disco, contact, version, ping, federation) did not
 *   run; the one `login` record says why (src/lib/xmpp/login-failure.ts);
 * - `probe-account-refused`: on the `login` record, the server refused the
 *   probe's own credentials (SASL not-authorized): a problem with the
 *   probe, which the operator is alerted to, not an outage of the service.
 */
export const PROBE_NOT_RUN_REASONS = ['no-account', 'no-password', 'account-elsewhere', 'no-client-target', 'not-offered', 'login-failed', 'probe-account-refused'] as const;
export const ProbeNotRunSchema = z.enum(PROBE_NOT_RUN_REASONS);
export type ProbeNotRun = z.output<typeof ProbeNotRunSchema>;

/** A maintenance window is either planned or called off. */
/**
 * A maintenance window's timeline, Statuspage's words plus `cancelled`: each
 * update says where the work stands. A `scheduled` update after the first
 * (or any update carrying `start`/`end`) reschedules the window.
 */
export const MAINTENANCE_STATUSES = ['scheduled', 'in-progress', 'verifying', 'completed', 'cancelled'] as const;
export const MaintenanceStatusSchema = z.enum(MAINTENANCE_STATUSES);
export type MaintenanceStatus = z.output<typeof MaintenanceStatusSchema>;

/**
 * What an incident update may declare for a component from then on: one of
 * the impacts, or `operational` to give it back before the incident ends.
 */
export const DECLARED_STATES = ['operational', 'degraded', 'partial-outage', 'major-outage'] as const;
export const DeclaredStateSchema = z.enum(DECLARED_STATES);
export type DeclaredState = z.output<typeof DeclaredStateSchema>;

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/**
 * An instant written with an explicit UTC offset. A zone-less time is
 * ambiguous (cState #220, NuGet #9428), so it is rejected rather than guessed.
 */
export const TimestampSchema = z
  .string({ error: 'must be a timestamp such as 2026-11-03T08:12:00Z (quote it if it is not text)' })
  .superRefine((value, ctx) => {
    const parsed = parseOffsetTimestamp(value);
    if ('date' in parsed) return;
    if (parsed.error === 'format') {
      const hasTime = /\d{2}:\d{2}/.test(value);
      ctx.addIssue({
        code: 'custom',
        message: hasTime
          ? `${quoteShort(value)} has no UTC offset. Write it like 2026-11-03T08:12:00Z or 2026-11-03T09:12:00+01:00`
          : `${quoteShort(value)} is not a timestamp. Write it like 2026-11-03T08:12:00Z`,
      });
    } else ctx.addIssue({ code: 'custom', message: `${quoteShort(value)} ${parsed.error}` });
  })
  // A refused value still becomes a (NaN) Date, so that checks across a list
  // (timeline order) run and report their own problems in the same pass.
  .transform((value) => {
    const parsed = parseOffsetTimestamp(value);
    return 'date' in parsed ? parsed.date : new Date(Number.NaN);
  });

/**
 * An absolute web address a reader may click: http or https only, never
 * `javascript:` or `data:`, e.g. `https://www.jabber.org/`.
 */
export const HttpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) address such as https://www.jabber.org/ (other schemes are refused)' });

/**
 * When the next update is promised: a timestamp with an offset, or a
 * duration after the update it is written on (`30m`, `2h`, `1h30m`, `1d`).
 * Parsed to `{ at }` or `{ afterMs }`; the content model turns it into an instant.
 */
export const NextUpdateSchema = z
  .string({ error: 'must be a time such as 2026-11-09T08:00:00Z or a duration such as 2h or 30m' })
  .transform((value, ctx): { at: Date } | { afterMs: number } => {
    const duration = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(value.trim());
    if (duration && value.trim() !== '') {
      const [, d, h, m] = duration;
      const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000;
      if (ms > 0 && ms <= 7 * 86_400_000) return { afterMs: ms };
      ctx.addIssue({ code: 'custom', message: `${quoteShort(value)} must be between 1 minute and 7 days` });
      return z.NEVER;
    }
    const parsed = parseOffsetTimestamp(value);
    if ('date' in parsed) return { at: parsed.date };
    ctx.addIssue({ code: 'custom', message: `${quoteShort(value)} is neither a time with an offset (2026-11-09T08:00:00Z) nor a duration (2h, 30m, 1h30m)` });
    return z.NEVER;
  });

/** Lower-case identifier used in URLs and cross-references, e.g. `c2s`. */
export const IdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and dashes, e.g. "c2s-directtls"' });

/** A calendar date, e.g. `2026-11-20`. */
export const DateStringSchema = z
  .string({ error: 'must be a date such as 2026-11-20' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date such as 2026-11-20' })
  .refine(isCalendarDate, { error: 'is not a real calendar date' });

// ---------------------------------------------------------------------------
// Site configuration: content/site.yaml
// ---------------------------------------------------------------------------

export const ComponentGroupSchema = z.strictObject({
  /** Stable id used by components' `group`, e.g. `xmpp`. */
  id: IdSchema,
  /** Heading readers see, e.g. `Instant messaging (XMPP)`. */
  name: z.string().min(1),
});

export const ComponentSchema = z.strictObject({
  /** Stable id used in incident and maintenance files and in URLs, e.g. `c2s`. Never rename: old incidents refer to it. */
  id: IdSchema,
  /** Name readers see, e.g. `Client connections (port 5222)`. */
  name: z.string().min(1),
  /**
   * What the component lets a reader do, in their words, for headlines,
   * the contact's presence and notifications (issue 27: "Major outage:
   * Client connections and Client connections, direct TLS" named server
   * parts). No commas: names are listed with commas. Optional; without it
   * the name without its "(…)" is used. E.g. `Logging in`.
   */
  readerName: z
    .string()
    .trim()
    .min(1)
    .refine((v) => !v.includes(','), { error: 'must not contain a comma: names are listed with commas. Write e.g. "Logging in with direct TLS"' })
    .optional(),
  /** One sentence on what works when this component works, e.g. `Logging in from XMPP apps using STARTTLS`. */
  description: z.string().min(1),
  /** Id of a group in `groups`, e.g. `xmpp`. */
  group: IdSchema,
  /**
   * True when this is part of the XMPP service that clients connect to, so
   * XMPP clients that cannot connect are told about it through XEP-0455
   * (`/api/outage.json`), e.g. `true` for client connections, `false` for the website.
   */
  xmpp: z.boolean().default(false),
});
export type Component = z.output<typeof ComponentSchema>;

export const ProbeTargetSchema = z.strictObject({
  /** XMPP domain to probe, e.g. `jabber.org`. */
  domain: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, {
    error: 'must be a domain name such as jabber.org',
  }),
  /** Web pages checked by the `website` check; default `https://<domain>/` and `http://<domain>/`. */
  websites: z.array(z.url({ protocol: /^https?$/ })).optional(),
  /** Web registration page accepted when in-band registration is off, e.g. `https://www.jabber.org/register/`. */
  registrationUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type ProbeTarget = z.output<typeof ProbeTargetSchema>;

export const ProbeSourceSchema = z.union([
  z.strictObject({
    /** Vantage point name shown to readers, e.g. `ams`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lower-case letters, digits and dashes, e.g. "ams"' }),
    /** A summary file (`.json`) or a folder of raw probe logs, relative to the project, e.g. `probe-data`. */
    path: z.string().min(1),
    /** True for made-up data; the page then says so. */
    sample: z.boolean().default(false),
  }),
  z.strictObject({
    /** Vantage point name shown to readers, e.g. `ams`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lower-case letters, digits and dashes, e.g. "ams"' }),
    /** A summary published by a probe host, e.g. `https://probe-ams.jabber.org/summary.json`. */
    url: z.url({ protocol: /^https?$/ }),
    /** True for made-up data; the page then says so. */
    sample: z.boolean().default(false),
    /**
     * Follow a redirect to another origin (scheme, host or port), e.g. `true`
     * when the probe host moved its summary to a CDN. Off by default: a
     * redirect elsewhere is refused and named in the build log (issue 10).
     */
    allowCrossOriginRedirects: z.boolean().default(false),
  }),
]);
export type ProbeSource = z.output<typeof ProbeSourceSchema>;

export const ProbesConfigSchema = z.strictObject({
  /** Services `npm run probe` checks when given no domain. */
  targets: z.array(ProbeTargetSchema).default([]),
  /** A domain on another server, pinged over federation by the logged-in check, e.g. `xmpp.org`. */
  remoteDomain: z.string().min(1).optional(),
  /**
   * Federation, server by server (issue 17): the logged-in probe pings each
   * of these remote servers (and every service of the directory) over
   * federation, one `federation` record each.
   */
  federation: z
    .strictObject({
      /** The component whose page lists the remote servers and whose state follows the "most fail at once" rule, e.g. `s2s`. */
      component: z.string().min(1).optional(),
      /** Large public servers, e.g. `[xmpp.org, conversations.im]`. */
      servers: z.array(z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, { error: 'must be a lower-case domain name with a dot, such as xmpp.org' })).max(100).default([]),
    })
    .prefault({}),
  /** Seconds between probe runs on each host, e.g. `60`; results older than twice this are "unknown". */
  intervalSeconds: z.number().int().positive().default(300),
  /** Fraction of reporting locations that must see a failure before a component counts as down (strictly more than it), e.g. `0.5`. */
  quorum: z.number().min(0).lt(1).default(0.5),
  /** Leave maintenance windows out of uptime and SLA figures. */
  excludeMaintenance: z.boolean().default(true),
  /** Where the build gets monitoring data. */
  sources: z.array(ProbeSourceSchema).default([]),
  /** Which checks stand for each component, e.g. `c2s: [{ domain: jabber.org, check: c2s-starttls }]`. */
  components: z.record(z.string(), z.array(z.strictObject({ domain: z.string().min(1), check: ProbeCheckSchema })).min(1)).default({}),
});

// ---------------------------------------------------------------------------
// Notifications: the `notify` block of content/site.yaml (`npm run notify`,
// issue 15). No secret is ever written here: passwords and keys are named by
// the environment variable or the file that holds them.
// ---------------------------------------------------------------------------

/** Name of an environment variable, e.g. `NOTIFY_XMPP_PASSWORD`. */
const EnvNameSchema = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be the name of an environment variable in capitals, e.g. NOTIFY_XMPP_PASSWORD' });

/** A field that exists only to refuse a secret written in the file, with the fix. */
const noSecretHere = (env: string, file: string) =>
  z.never({ error: `must not be written in content/site.yaml, which is public. Put it in an environment variable named by "${env}" or a file named by "${file}"` }).optional();

/** A bare XMPP address, e.g. `status@jabber.org`. */
const BareJidSchema = z.string().regex(/^[^@/\s"&'<>:]+@[a-z0-9.-]+$/i, { error: 'must be an XMPP address such as status@jabber.org' });

const XmppDomainSchema = z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, { error: 'must be a domain name such as pubsub.jabber.org' });

export const NotifyRetrySchema = z.strictObject({
  /** Tries per entry and channel before the channel gives up until the next run, e.g. `4`. */
  attempts: z.number().int().min(1).max(10).default(4),
  /** Pause before the first retry, doubled before each next one, in seconds, e.g. `2`. */
  firstDelaySeconds: z.number().min(0).max(600).default(2),
  /** Longest pause between tries, in seconds, e.g. `60`. */
  maxDelaySeconds: z.number().min(0).max(3600).default(60),
});

export const NotifyXmppSchema = z
  .strictObject({
    /** The account that publishes, posts and is the status contact, e.g. `status@jabber.org`. */
    jid: BareJidSchema,
    /** Environment variable holding its password, e.g. `NOTIFY_XMPP_PASSWORD`. */
    passwordEnv: EnvNameSchema.optional(),
    /** Or a file holding it (first line), e.g. `/etc/jabber-status/xmpp-password`. */
    passwordFile: z.string().min(1).optional(),
    password: noSecretHere('passwordEnv', 'passwordFile'),
    /** Connect here instead of looking up the domain's SRV records, e.g. `hermes2.jabber.org:5222`. */
    server: z.string().regex(/^[^\s:/]+:\d{1,5}$/, { error: 'must be HOST:PORT, e.g. hermes2.jabber.org:5222' }).optional(),
    /** XEP-0060 PubSub: one Atom item per entry. */
    pubsub: z
      .strictObject({
        /** The PubSub service, e.g. `pubsub.jabber.org`. */
        service: XmppDomainSchema,
        /** Node every entry goes to, e.g. `status`. */
        node: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'must be lower-case letters, digits, dots, dashes or underscores, e.g. "status"' }).default('status'),
        /** Also publish each entry to `<node>/<component id>` for the components it concerns, e.g. `status/c2s`. */
        perComponent: z.boolean().default(false),
        /** Items each node keeps for late subscribers, e.g. `256` (Prosody's default cap, `pubsub_max_items`). */
        maxItems: z.number().int().min(1).max(100000).default(256),
      })
      .optional(),
    /** The account as a contact: messages each entry to everyone subscribed to its presence. */
    contact: z
      .strictObject({
        /** How often `npm run notify:contact` recomputes the status shown as presence, in seconds, e.g. `60`. */
        refreshSeconds: z.number().int().min(1).max(3600).default(60),
      })
      .optional(),
    /** XEP-0045: each entry posted to a chat room. */
    room: z
      .strictObject({
        /** The room, e.g. `status@conference.jabber.org`. */
        jid: BareJidSchema,
        /** The name the account posts under, e.g. `jabber.org status`. */
        nick: z.string().min(1).max(100).default('status'),
      })
      .optional(),
  })
  .refine((x) => (x.passwordEnv === undefined) !== (x.passwordFile === undefined), {
    error: 'needs exactly one of "passwordEnv" (an environment variable) or "passwordFile" (a file) for the account password',
    path: ['passwordEnv'],
  });

export const NotifyEmailSchema = z
  .strictObject({
    /** SMTP server, e.g. `smtp.jabber.org`. */
    host: z.string().min(1),
    /** e.g. `587` (STARTTLS), `465` (TLS) or `25`. */
    port: z.number().int().min(1).max(65535).default(587),
    /** `starttls` (required), `tls` (from the first byte) or `none` (loopback only). */
    security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    /** SMTP login, e.g. `status`; omit when the server needs none. */
    username: z.string().min(1).optional(),
    /** Environment variable holding the SMTP password, e.g. `NOTIFY_SMTP_PASSWORD`. */
    passwordEnv: EnvNameSchema.optional(),
    /** Or a file holding it, e.g. `/etc/jabber-status/smtp-password`. */
    passwordFile: z.string().min(1).optional(),
    password: noSecretHere('passwordEnv', 'passwordFile'),
    /** Sender, e.g. `jabber.org status <status@jabber.org>`. */
    from: z.string().min(3),
    /** The mailing list address; the list handles subscriptions, e.g. `status-announce@lists.jabber.org`. */
    to: z.email({ error: 'must be an email address such as status-announce@lists.jabber.org' }),
    /** `List-*` headers added to every mail, e.g. `{ List-Id: "<status.jabber.org>" }`. */
    headers: z
      .record(z.string().regex(/^List-[A-Za-z-]+$/, { error: 'only List-* headers (RFC 2369, RFC 2919) are passed through, e.g. List-Id' }), z.string().min(1).max(500).regex(/^[^\r\n]*$/, { error: 'must be one line' }))
      .default({}),
  })
  .refine((x) => x.username !== undefined || (x.passwordEnv === undefined && x.passwordFile === undefined), {
    error: 'a password needs a "username" to log in with',
    path: ['username'],
  })
  .refine((x) => x.passwordEnv === undefined || x.passwordFile === undefined, { error: 'give "passwordEnv" or "passwordFile", not both', path: ['passwordFile'] });

export const NotifyWebhookSchema = z
  .strictObject({
    /** Short name used in logs and the state file, e.g. `ops-chat`. */
    name: IdSchema,
    /** Where entries are POSTed, e.g. `https://hooks.example.org/status`. */
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) address such as https://hooks.example.org/status' }),
    /** `json` (the entry, Statuspage-shaped where it applies) or `slack` (`{ "text": … }` for Slack and Mattermost incoming webhooks). */
    format: z.enum(['json', 'slack']).default('json'),
    /** Environment variable holding the signing secret (Standard Webhooks), e.g. `NOTIFY_WEBHOOK_OPS_SECRET`. */
    secretEnv: EnvNameSchema.optional(),
    /** Or a file holding it, e.g. `/etc/jabber-status/ops-webhook-secret`. */
    secretFile: z.string().min(1).optional(),
    secret: noSecretHere('secretEnv', 'secretFile'),
  })
  .refine((x) => x.format === 'slack' || (x.secretEnv === undefined) !== (x.secretFile === undefined), {
    error: 'a json webhook is signed: give exactly one of "secretEnv" or "secretFile"',
    path: ['secretEnv'],
  });

export const NotifyConfigSchema = z
  .strictObject({
    /** What each channel has delivered, relative to the project folder, e.g. `notify-state/delivered.jsonl`. Keep it between runs. */
    stateFile: z.string().min(1).default('notify-state/delivered.jsonl'),
    /** Retries with backoff when a channel fails. */
    retry: NotifyRetrySchema.prefault({}),
    /** XMPP channels: PubSub node, status contact, chat room. */
    xmpp: NotifyXmppSchema.optional(),
    /** Email to a mailing list over SMTP. */
    email: NotifyEmailSchema.optional(),
    /** Signed JSON POSTs. */
    webhooks: z.array(NotifyWebhookSchema).default([]),
  })
  .superRefine((n, ctx) => {
    const names = new Set<string>();
    n.webhooks.forEach((w, i) => {
      if (names.has(w.name)) ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'name'], message: `"${w.name}" is used by two webhooks. Give each its own name` });
      names.add(w.name);
    });
  });
export type NotifyConfig = z.output<typeof NotifyConfigSchema>;

export const SiteConfigSchema = z
  .strictObject({
    /** Site title, e.g. `jabber.org status`. */
    name: z.string().min(1),
    /** One sentence used as the default page description, e.g. `Live status of the jabber.org XMPP service`. */
    description: z.string().min(1),
    /** Public address of the site, without the base path, e.g. `https://status.jabber.org`. */
    url: HttpUrlSchema,
    /** Path the site is served under, starting and ending with `/`, e.g. `/` or `/status/`. */
    base: z
      .string()
      .regex(/^\/([^/]+\/)*$/, { error: 'must start and end with "/", e.g. "/" or "/status/"' })
      .default('/'),
    /** The service the site reports on, e.g. `jabber.org`. */
    service: z.string().min(1),
    /** The service's own website, e.g. `https://www.jabber.org/`. */
    serviceUrl: HttpUrlSchema,
    /**
     * Where this site's repository is on the web, for the directory's
     * "How to apply" page (issue 27: it never said where to open the pull
     * request). Optional; without it the page says "this site's repository".
     * E.g. `https://git.example.org/status`.
     */
    repository: HttpUrlSchema.optional(),
    /** Uptime promise, in percent per calendar month, e.g. `99.9`. */
    slaTarget: z.number().gt(0).lt(100),
    /**
     * The daily update is posted by this time of day (UTC, 24-hour), e.g.
     * `"12:00"`. Pages say when the next one is due, and `npm run check`
     * warns when today's is missing after it. Leave out for no promise.
     */
    dailyUpdateBy: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a UTC time of day such as "12:00" (in quotes)' })
      .optional(),
    /** Groups that order components on the page. */
    groups: z.array(ComponentGroupSchema).min(1),
    /** The parts of the service readers see a status for. */
    components: z.array(ComponentSchema).min(1),
    /** What the probe checks (`npm run probe`). */
    probes: ProbesConfigSchema.prefault({}),
    /** Where `npm run notify` sends each new entry (issue 15); omit to send nothing. */
    notify: NotifyConfigSchema.optional(),
  })
  .superRefine((site, ctx) => {
    const componentIds = new Set(site.components.map((c) => c.id));
    for (const id of Object.keys(site.probes.components)) {
      if (!componentIds.has(id)) {
        ctx.addIssue({ code: 'custom', path: ['probes', 'components', id], message: `"${id}" is not a component. Use one of: ${[...componentIds].join(', ')}` });
      }
    }
    const fedComponent = site.probes.federation.component;
    if (fedComponent !== undefined && !componentIds.has(fedComponent)) {
      ctx.addIssue({ code: 'custom', path: ['probes', 'federation', 'component'], message: `"${fedComponent}" is not a component. Use one of: ${[...componentIds].join(', ')}` });
    }
    const names = new Set<string>();
    site.probes.sources.forEach((source, i) => {
      if (names.has(source.name)) ctx.addIssue({ code: 'custom', path: ['probes', 'sources', i, 'name'], message: `"${source.name}" is used by two sources. Give each location its own name` });
      names.add(source.name);
    });
    const groupIds = new Set<string>();
    site.groups.forEach((g, i) => {
      if (groupIds.has(g.id)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: `"${g.id}" is used by two groups. Give each group its own id` });
      groupIds.add(g.id);
    });
    const seen = new Set<string>();
    site.components.forEach((c, i) => {
      if (seen.has(c.id)) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `"${c.id}" is used by two components. Give each component its own id` });
      }
      seen.add(c.id);
      // Ids become file names next to each other (badges/components/<id>.svg
      // and <id>-uptime.svg) and entries of one list (components.json lists
      // groups and components together), so they must not collide.
      if (groupIds.has(c.id)) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `"${c.id}" is also a group id; the API lists groups and components together. Rename the component or the group` });
      }
      if (c.id.endsWith('-uptime')) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `"${c.id}" ends in "-uptime", which the site uses for uptime badges (badges/components/<id>-uptime.svg). Choose an id without it` });
      }
      if (!groupIds.has(c.group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'group'],
          message: `"${c.group}" is not a group. Use one of: ${[...groupIds].join(', ')}`,
        });
      }
    });
  });
export type SiteConfig = z.output<typeof SiteConfigSchema>;

// ---------------------------------------------------------------------------
// Content files. These are factories because component ids are only known
// once the site config is read: the enum makes an unknown id an error that
// lists the ids that exist. Without a valid config (`undefined`), any
// well-formed id passes so that the config's own problems are not drowned
// in one "unknown component" line per incident.
// ---------------------------------------------------------------------------

function componentIdSchema(componentIds: readonly string[] | undefined) {
  return componentIds && componentIds.length > 0 ? z.enum(componentIds as [string, ...string[]]) : IdSchema;
}

/**
 * Frontmatter of `incidents/YYYY/YYYY-MM-DD-slug.md`.
 * @param componentIds ids from the site config, e.g. `['c2s', 's2s']`
 */
export function createIncidentSchema(componentIds: readonly string[] | undefined) {
  const AffectedSchema = z.strictObject({
    /** Component id from content/site.yaml, e.g. `c2s`. */
    id: componentIdSchema(componentIds),
    /** What the incident does to it until resolved, e.g. `partial-outage`. */
    status: ComponentImpactSchema,
  });
  const UpdateSchema = z.strictObject({
    /** When this update was posted, with an offset, e.g. `2026-11-03T08:12:00Z`. */
    at: TimestampSchema,
    /** Incident status as of this update, e.g. `identified`. */
    status: IncidentStatusSchema,
    /** What readers are told, in Markdown, e.g. `Logins work again; we are watching.` */
    message: z.string().trim().min(1, { error: 'must not be empty: say what readers should know' }),
    /**
     * Component states from this update on, e.g. `{ c2s: degraded }`; a
     * component not named keeps its state, `operational` gives it back. A
     * `resolved` update returns every component to operational unless it
     * names one here.
     */
    components: z.partialRecord(componentIdSchema(componentIds), DeclaredStateSchema).optional(),
    /** When the next update is due: a time (`2026-11-09T08:00:00Z`) or a duration after this one (`2h`). */
    next: NextUpdateSchema.optional(),
  });
  // Checks that span list items sit on the lists, not on the whole object:
  // zod skips an object's refinements when any sibling field fails, and a
  // wrong "impact" must not hide an out-of-order timeline.
  const AffectedListSchema = z
    .array(AffectedSchema)
    .min(1, { error: 'must name at least one component' })
    .superRefine((affected, ctx) => {
      const seen = new Set<string>();
      affected.forEach((a, i) => {
        if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${a.id}" is listed twice. List each component once` });
        seen.add(a.id);
      });
    });
  const TimelineSchema = z
    .array(UpdateSchema)
    .min(1, { error: 'must have at least one update' })
    .superRefine((updates, ctx) => {
      // zod runs this even when some items failed; those keep their raw
      // input (e.g. `at` as text), and are already reported, so skip them.
      const parsed = (u: unknown): u is z.output<typeof UpdateSchema> => (u as { at?: unknown }).at instanceof Date;
      updates.forEach((u, i) => {
        if (parsed(u) && u.next) {
          if (u.status === 'resolved') ctx.addIssue({ code: 'custom', path: [i, 'next'], message: 'promises another update on a resolved incident. Remove "next", or use "monitoring" if more is to come' });
          else if ('at' in u.next && u.next.at.getTime() <= u.at.getTime()) ctx.addIssue({ code: 'custom', path: [i, 'next'], message: `${u.next.at.toISOString()} is not after this update (${u.at.toISOString()}). Promise a later time, or a duration such as 2h` });
        }
        const previous = updates[i - 1];
        if (!previous || !parsed(u) || !parsed(previous)) return;
        if (previous.status === 'resolved') {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'status'],
            message: 'comes after a "resolved" update. Only the last update may be "resolved"; to reopen, change the earlier one to "monitoring"',
          });
        }
        if (u.at.getTime() < previous.at.getTime()) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'at'],
            message: `${u.at.toISOString()} is earlier than the update before it (${previous.at.toISOString()}). List updates oldest first`,
          });
        }
      });
    });
  return z.strictObject({
    /** Headline, e.g. `Login failures after the M-Link migration`. */
    title: z.string().trim().min(1),
    /** Overall impact, e.g. `major`. */
    impact: ImpactSchema,
    /**
     * What readers can do meanwhile, in one or two plain sentences (issue 27),
     * shown in the banner, the card, feeds and notifications. Optional.
     * E.g. `Your password is fine; do not create a new account.`
     */
    advice: z.string().trim().min(1, { error: 'must not be empty: say what readers can do, or remove the line' }).optional(),
    /** Components hit by this incident, each with how badly. */
    affected: AffectedListSchema,
    /** Timeline, oldest first. The incident is resolved when the last update says `resolved`. */
    updates: TimelineSchema,
  });
}
export type IncidentFrontmatter = z.output<ReturnType<typeof createIncidentSchema>>;

/**
 * Frontmatter of `content/maintenance/YYYY-MM-DD-slug.md`: a window and its
 * timeline. The window is the `start`/`end` of the latest update that gives
 * them; the phase comes from the timeline and the clock.
 * @param componentIds ids from the site config, e.g. `['c2s', 's2s']`
 */
export function createMaintenanceSchema(componentIds: readonly string[] | undefined) {
  const UpdateSchema = z.strictObject({
    /** When this update was posted, with an offset, e.g. `2026-11-20T10:00:00Z`. */
    at: TimestampSchema,
    /** Where the work stands, e.g. `scheduled`, `in-progress`, `verifying`, `completed`, `cancelled`. */
    status: MaintenanceStatusSchema,
    /** When the work starts: required on the first update, and a reschedule on a later one, e.g. `2026-11-25T04:00:00Z`. */
    start: TimestampSchema.optional(),
    /** When the work is expected to end (required on the first update), e.g. `2026-11-25T05:00:00Z`. */
    end: TimestampSchema.optional(),
    /** What readers are told, in Markdown, e.g. `Moved by a day: the new release is not ready.` */
    message: z.string().trim().min(1, { error: 'must not be empty: say what readers should know' }),
  });
  const TimelineSchema = z
    .array(UpdateSchema)
    .min(1, { error: 'must have at least one update: the announcement, with status "scheduled", "start" and "end"' })
    .superRefine((updates, ctx) => {
      const parsed = (u: unknown): u is z.output<typeof UpdateSchema> => (u as { at?: unknown }).at instanceof Date;
      let start: Date | undefined;
      let end: Date | undefined;
      updates.forEach((u, i) => {
        if (!parsed(u)) return;
        if (i === 0) {
          if (u.status !== 'scheduled') ctx.addIssue({ code: 'custom', path: [i, 'status'], message: `is "${u.status}"; the first update announces the window. Use "scheduled"` });
          if (!u.start) ctx.addIssue({ code: 'custom', path: [i], message: 'has no "start". The first update says when the work starts, e.g. start: 2026-11-25T04:00:00Z' });
          if (!u.end) ctx.addIssue({ code: 'custom', path: [i], message: 'has no "end". The first update says when the work is expected to end, e.g. end: 2026-11-25T05:00:00Z' });
        }
        const previous = updates[i - 1];
        if (previous && parsed(previous)) {
          if (previous.status === 'completed' || previous.status === 'cancelled') {
            ctx.addIssue({ code: 'custom', path: [i, 'status'], message: `comes after a "${previous.status}" update. Nothing may follow it; announce new work in a new file` });
          }
          if (u.at.getTime() < previous.at.getTime()) {
            ctx.addIssue({ code: 'custom', path: [i, 'at'], message: `${u.at.toISOString()} is earlier than the update before it (${previous.at.toISOString()}). List updates oldest first` });
          }
        }
        start = u.start && !Number.isNaN(u.start.getTime()) ? u.start : start;
        end = u.end && !Number.isNaN(u.end.getTime()) ? u.end : end;
        if ((u.start || u.end) && start && end && end.getTime() <= start.getTime()) {
          ctx.addIssue({ code: 'custom', path: [i, u.end ? 'end' : 'start'], message: `the window would end at ${end.toISOString()}, not after its start (${start.toISOString()}). The window must end after it starts` });
        }
      });
    });
  return z.strictObject({
    /** Headline, e.g. `M-Link upgrade to 19.4`. */
    title: z.string().trim().min(1),
    /**
     * What readers can do meanwhile, in one or two plain sentences (issue 27),
     * shown in the banner, the card, feeds and notifications. Optional.
     * E.g. `Your password is fine; do not create a new account.`
     */
    advice: z.string().trim().min(1, { error: 'must not be empty: say what readers can do, or remove the line' }).optional(),
    /** Components shown "under maintenance" during the window, e.g. `[c2s, s2s]`. */
    components: z.array(componentIdSchema(componentIds)).min(1, { error: 'must name at least one component' }),
    /** The timeline, oldest first: announcement, reschedules, start, verification, completion or cancellation. */
    updates: TimelineSchema,
  });
}
export type MaintenanceFrontmatter = z.output<ReturnType<typeof createMaintenanceSchema>>;

/**
 * Frontmatter of `content/updates/YYYY-MM-DD.md`, the daily status update.
 * @param incidentSlugs slugs of all incidents, e.g. `['2026-11-03-login-failures']`
 */
export function createDailyUpdateSchema(incidentSlugs: ReadonlySet<string>) {
  return z.strictObject({
    /** Optional; when given it must equal the file name's date, e.g. `2026-11-20`. */
    date: DateStringSchema.optional(),
    /** Who wrote it, e.g. `Peter Saint-Andre`. */
    author: z.string().trim().min(1),
    /** One line shown in lists and feeds, e.g. `Logins stable for 24 hours; federation queue drained.` */
    summary: z.string().trim().min(1).max(200, { error: 'must be one line of at most 200 characters' }),
    /** Incidents this update talks about, by slug, e.g. `[2026-11-03-login-failures]`. */
    incidents: z
      .array(
        z.string().refine((slug) => incidentSlugs.has(slug), {
          error: (issue) => `"${String(issue.input)}" is not an incident. Use the incident's file name without ".md", e.g. 2026-11-03-login-failures`,
        }),
      )
      .default([]),
  });
}
export type DailyUpdateFrontmatter = z.output<ReturnType<typeof createDailyUpdateSchema>>;

// ---------------------------------------------------------------------------
// Probe records: one JSON line per check per target, written by
// `npm run probe` to DIR/<vantage>/<YYYY-MM-DD>.jsonl and read by the build.
// ---------------------------------------------------------------------------


/** Text that came from a server: bounded so a hostile server cannot bloat the logs. */
const ServerText = z.string().max(1000);

/** What a probe learned about a TLS certificate, and its verdict. */
export const CertFactsSchema = z.strictObject({
  /** Subject common name, e.g. `jabber.org`. */
  subject: ServerText,
  /** Issuer common name or organisation, e.g. `R11`. */
  issuer: ServerText,
  /** Start of validity, e.g. `2026-10-01T00:00:00Z`. */
  validFrom: z.string(),
  /** End of validity, e.g. `2026-12-30T23:59:59Z`. */
  validTo: z.string(),
  /** Whole days from the probe's "now" to `validTo`; negative once expired, e.g. `38`. */
  daysLeft: z.number().int(),
  /** The chain leads to a recognized CA (system store plus `--ca`). */
  trusted: z.boolean(),
  /** OpenSSL's reason when not trusted, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  trustError: ServerText.optional(),
  /** Which name matched the XMPP domain, or null when none did, e.g. `SRV-ID`. */
  identity: z.enum(['SRV-ID', 'XmppAddr', 'DNS-ID', 'CN']).nullable(),
  /** Names in the certificate, e.g. `['DNS:jabber.org', 'XmppAddr:jabber.org']`. */
  names: z.array(ServerText).max(100),
  /** SHA-256 fingerprint, e.g. `AB:CD:…`. */
  fingerprint256: z.string().max(200),
  // Issue 30 (certificate continuity). Optional: records and summaries from
  // probes before it lack them, and other hosts' summaries are still read.
  /** SHA-256 of the certificate's public key (its DER SubjectPublicKeyInfo), upper-case hex with colons like `fingerprint256`, e.g. `1F:0A:…`; the same across a renewal that keeps the key. */
  spki256: z.string().max(200).optional(),
  /** The public key's algorithm, e.g. `rsa`, `ec`, `ed25519`. */
  keyType: z.string().max(20).optional(),
  /** Key size in bits (RSA modulus, EC curve size), e.g. `2048` or `256`. */
  keyBits: z.number().int().nonnegative().max(100_000).optional(),
  /** The issuer's organisation, e.g. `Let's Encrypt`: the "issuer family" a renewal keeps while `issuer` (`R10`, `R11`) may change. */
  issuerOrg: ServerText.optional(),
  /** The certificate's serial number in hex, e.g. `04A1…`; tells two certificates with the same names apart in a message. */
  serial: z.string().max(100).optional(),
});
export type CertFacts = z.output<typeof CertFactsSchema>;

/**
 * DANE (issue 30): the TLSA records published for a target and whether each
 * matches the certificate presented. Never DNSSEC-validated by the probe
 * (`dnssec: 'not-validated'`): see src/lib/xmpp/dane.ts for what that means.
 */
export const DaneFactsSchema = z.strictObject({
  /** The name asked, e.g. `_5222._tcp.hermes2.jabber.org`. */
  name: z.string().max(300),
  /** `found` (records below), `none` (the name has no TLSA records), `failed` (the lookup failed: SERVFAIL, timeout). */
  lookup: z.enum(['found', 'none', 'failed']),
  /** Always `not-validated`: the probe does not check DNSSEC signatures, so a record could be forged on its path. */
  dnssec: z.literal('not-validated'),
  /** Each record, e.g. `{ usage: 3, selector: 1, mtype: 1, data: '3B1C…', matches: true }` (DANE-EE, public key, SHA-256). */
  records: z
    .array(
      z.strictObject({
        usage: z.number().int().min(0).max(255),
        selector: z.number().int().min(0).max(255),
        mtype: z.number().int().min(0).max(255),
        /** Upper-case hex; an exact-match record over 128 digits is cut, ending in `…`. */
        data: z.string().max(200),
        /** True when this record matches the certificate (end-entity usages) or one above it in the chain (trust-anchor usages). */
        matches: z.boolean(),
      }),
    )
    .max(6),
});
export type DaneFacts = z.output<typeof DaneFactsSchema>;

/** Check-specific findings. Every field is optional; a check fills what it learned. */
export const ProbeDetailSchema = z.looseObject({
  /** TLS session facts, e.g. `{ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: null }`. */
  tls: z.strictObject({ protocol: z.string().max(50), cipher: z.string().max(100), alpn: z.string().max(50).nullable() }).optional(),
  /** The certificate and its verdict. */
  cert: CertFactsSchema.optional(),
  /** A non-fatal concern, e.g. `certificate expires in 12 days`. */
  warning: ServerText.optional(),
  /** Issue 30: the target's TLSA records compared with its certificate; absent for checks and probes without it. */
  dane: DaneFactsSchema.optional(),
});

/** The raw record format the probe writes (issue 21: version 2 sets `ok: null` on a check that did not run). */
export const PROBE_RECORD_VERSION = 2 as const;

export const ProbeRecordSchema = z.strictObject({
  /**
   * Format version; readers skip versions they do not know. The probe
   * writes 2 (issue 21: a check that did not run has `ok: null`); records
   * of version 1 (`ok: false` beside `notRun`) are still read, as version 2.
   */
  v: z.union([z.literal(1), z.literal(2)]),
  /** When the check started, UTC, e.g. `2026-11-21T06:00:00.000Z`. */
  at: z.iso.datetime(),
  /** Probe host that ran it, e.g. `ams`. */
  vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** XMPP domain probed, e.g. `jabber.org`. */
  domain: z.string().min(1).max(253),
  /** Which check, e.g. `c2s-starttls`. */
  check: ProbeCheckSchema,
  /** What was contacted, e.g. `hermes2.jabber.org:5222` or `https://www.jabber.org/`; the domain for `dns`. */
  target: z.string().min(1).max(600),
  /** True when the check passed, false when it failed, null when it did not run (then `notRun` says why), e.g. `true`. */
  ok: z.boolean().nullable(),
  /**
   * Milliseconds from the start of the first attempt to the end of the last
   * (a retry's pause included), e.g. `182`; a logged-in check includes the
   * login, except `federation`, whose ms is the ping's round trip alone.
   */
  ms: z.number().nonnegative(),
  /** 2 when a failed connection was retried once before this result. */
  attempts: z.number().int().min(1).max(2),
  /** Why it failed, for readers, e.g. `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`. */
  error: ServerText.optional(),
  /** What the check learned. */
  detail: ProbeDetailSchema,
  /**
   * Set when the check did not run, e.g. `no-password`; `ok` is then null
   * and `error` says why, e.g. `not run: PROBE_PASSWORD is not set`.
   */
  notRun: ProbeNotRunSchema.optional(),
})
  .refine((r) => (r.v === 1 ? r.ok !== null && (!r.notRun || r.ok === false) : (r.ok === null) === !!r.notRun), {
    error: 'a check that did not run has "ok: null" and "notRun" (version 1: "ok: false"); one that ran has "ok: true" or "ok: false" and no "notRun"',
    path: ['ok'],
  })
  // Every reader sees version 2: a version-1 "not run" (ok: false) becomes ok: null.
  .transform((r) => ({ ...r, v: PROBE_RECORD_VERSION, ok: r.notRun ? null : r.ok }));
export type ProbeRecord = z.output<typeof ProbeRecordSchema>;
/** A record as written or read before the schema normalised it (version 1 or 2). */
export type ProbeRecordInput = z.input<typeof ProbeRecordSchema>;

// ---------------------------------------------------------------------------
// Published JSON: Statuspage v2-compatible API and XEP-0455. Used by the
// tests to check every built file; field names follow Statuspage's public API.
// ---------------------------------------------------------------------------

const IsoOrNull = z.iso.datetime().nullable();

export const StatuspagePageSchema = z.strictObject({
  /** e.g. `status.jabber.org` */
  id: z.string(),
  name: z.string(),
  /** e.g. `https://status.jabber.org/` */
  url: z.url(),
  /** Always `Etc/UTC`: every time on this site is UTC. */
  time_zone: z.literal('Etc/UTC'),
  /** Newest content change, e.g. `2026-11-21T00:00:00Z`. */
  updated_at: z.iso.datetime(),
});

export const StatuspageComponentSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  /** Only on groups: ids of their components. */
  components: z.array(z.string()).optional(),
  /**
   * Our extension, on monitored components: what the probes say and how many
   * locations have fresh data, e.g. `{ verdict: 'unknown', locations_reporting: 0 }`.
   * Stale data never turns `status` into an outage; it shows here instead.
   */
  monitoring: z.strictObject({ verdict: z.enum(['up', 'down', 'unknown']), locations_reporting: z.number().int().min(0) }).optional(),
});

const AffectedComponentSchema = z.strictObject({ code: z.string(), name: z.string(), old_status: z.string(), new_status: z.string() });

export const StatuspageIncidentUpdateSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed']),
  /** The message as written (Markdown). */
  body: z.string(),
  incident_id: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  display_at: z.iso.datetime(),
  /** Only on updates that changed a component, with its true old and new status; null otherwise, as Statuspage writes it. */
  affected_components: z.array(AffectedComponentSchema).nullable(),
  /** Always true: every update was announced to subscribers. */
  deliver_notifications: z.boolean(),
});

export const StatuspageIncidentSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  monitoring_at: IsoOrNull,
  resolved_at: IsoOrNull,
  impact: ImpactSchema,
  shortlink: z.url(),
  started_at: z.iso.datetime(),
  page_id: z.string(),
  incident_updates: z.array(StatuspageIncidentUpdateSchema),
  components: z.array(StatuspageComponentSchema),
});

export const StatuspageMaintenanceSchema = StatuspageIncidentSchema.extend({
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  /** Our extension: when the window was called off; such a window is listed as `completed` with this set. */
  cancelled_at: IsoOrNull,
  impact: z.literal('maintenance'),
  scheduled_for: z.iso.datetime(),
  scheduled_until: z.iso.datetime(),
});

export const StatuspageStatusSchema = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string(),
});

export const StatuspageSummarySchema = z.strictObject({
  page: StatuspagePageSchema,
  components: z.array(StatuspageComponentSchema),
  incidents: z.array(StatuspageIncidentSchema),
  scheduled_maintenances: z.array(StatuspageMaintenanceSchema),
  status: StatuspageStatusSchema,
});

/** XEP-0455 external status document; `{}` when nothing is wrong. */
export const ServiceOutageStatusSchema = z.union([
  z.strictObject({}),
  z.looseObject({
    planned: z.boolean(),
    beginning: z.iso.datetime(),
    expected_end: z.iso.datetime().optional(),
    message: z.looseObject({ default: z.string() }),
  }),
]);

// ---------------------------------------------------------------------------
// Probe summary: what `npm run probe:summary` makes of one vantage point's
// raw records, what a probe host publishes, and what the build fetches.
// ---------------------------------------------------------------------------

/**
 * Most (domain, check) pairs one summary may hold; jabber.org's probe has 12.
 * A summary is read whole by every build, and 400 pairs with 90 days of
 * one-minute data (about 38 KB each) still fit the 16 MiB a build reads, so
 * a probe host that logs more domains splits them
 * (`npm run probe:summary -- --domain`).
 */
export const MAX_SUMMARY_CHECKS = 400;

/**
 * An ISO instant in UTC that is a real calendar time, e.g.
 * `2026-11-21T12:00:00Z`. Probe hosts are not trusted to write one.
 */
const InstantSchema = z.iso.datetime({ error: 'must be a UTC time such as 2026-11-21T12:00:00Z' });

/** Certificate facts in a summary: as a probe record has them, but both dates must be real instants, or null when the probe could not read them. */
export const SummaryCertSchema = CertFactsSchema.extend({
  /** Start of validity, e.g. `2026-10-01T00:00:00Z`; null when the certificate's date could not be read. */
  validFrom: InstantSchema.nullable(),
  /** End of validity, e.g. `2026-12-30T23:59:59Z`; null when it could not be read (the page then warns). */
  validTo: InstantSchema.nullable(),
});
export type SummaryCert = z.output<typeof SummaryCertSchema>;

/** How many fingerprints a summary lists per target as seen lately (`seen`); a load balancer with more certificates than this still shows as several. */
export const MAX_SEEN_CERTS = 8;

/**
 * The certificate one location sees at one target of one check (issue 30),
 * newest first. Optional in summaries: those written before it have only
 * the check's `cert`.
 */
export const SummaryTargetCertSchema = z.strictObject({
  /** What was contacted, e.g. `hermes2.jabber.org:5222` or `https://www.jabber.org/`. */
  target: z.string().min(1).max(600),
  /** The newest record with a certificate, e.g. `2026-11-21T11:59:00Z`. */
  at: InstantSchema,
  /** The certificate it had. */
  cert: SummaryCertSchema,
  /** The first record of the unbroken run of records with this certificate, e.g. `2026-11-20T03:12:00Z`: when it was first seen here. */
  since: InstantSchema,
  /** Records in that run, e.g. `1440`; 2 or more means the certificate was seen over at least two probe intervals. */
  streak: z.number().int().min(1),
  /** The certificate before this run, with the last time it was seen; null when none was seen in the summary's window. */
  previous: z.strictObject({ cert: SummaryCertSchema, until: InstantSchema }).nullable(),
  /**
   * Every certificate (SHA-256) seen here in the last 48 hours, with the
   * last time, newest first, at most `MAX_SEEN_CERTS`, e.g.
   * `[['AB:CD:…', '2026-11-21T11:59:00Z']]`. More than one, alternating,
   * is a load balancer with several certificates, not a change.
   */
  seen: z.array(z.tuple([z.string().max(200), InstantSchema])).max(MAX_SEEN_CERTS),
  /**
   * How often in the last 48 hours this location went back to a certificate
   * it had already seen here, e.g. `0` after a renewal, `700` behind a load
   * balancer whose servers hold different certificates. Absent in summaries
   * written before it was added (read as 0).
   */
  returns: z.number().int().nonnegative().optional(),
  /** The TLSA records of this target as the newest record saw them (issue 30); absent when the probe did not look. */
  dane: DaneFactsSchema.optional(),
});
export type SummaryTargetCert = z.output<typeof SummaryTargetCertSchema>;

/** One UTC day of one check at one vantage point. */
export const SummaryDaySchema = z.strictObject({
  /** e.g. `2026-11-21` */
  date: DateStringSchema,
  /** Records that day (one per target per run), duplicates removed, e.g. `1440`. */
  samples: z.number().int().nonnegative(),
  /** How many of them passed, e.g. `1438`. */
  ok: z.number().int().nonnegative(),
  /** First and last sample that day, ISO, e.g. `2026-11-21T00:00:12Z`; time outside them had no data. */
  first: InstantSchema,
  last: InstantSchema,
  /** Response-time percentiles of the passing samples in ms; null without any. */
  p50: z.number().nonnegative().nullable(),
  p95: z.number().nonnegative().nullable(),
  p99: z.number().nonnegative().nullable(),
  /** Runs of consecutive failures as [first failure, first success after it] (or the last failure if none followed), ISO instants, e.g. `[['2026-11-21T06:35:00Z', '2026-11-21T07:10:00Z']]`. */
  outages: z.array(z.tuple([InstantSchema, InstantSchema])),
});
export type SummaryDay = z.output<typeof SummaryDaySchema>;

// ---------------------------------------------------------------------------
// Monitoring history (issue 29): daily aggregates per location, domain and
// check, kept forever by the build host (src/lib/monitoring/history-store.ts)
// and published with each release. Stored as columns (one array per field,
// one entry per day) so that gzip finds the repetition: a year of one
// series is a few kilobytes.
// ---------------------------------------------------------------------------

/**
 * A column of whole numbers in [min, max] (null allowed when `nullable`),
 * checked in one loop: a 5-year directory history has tens of millions of
 * entries, and a schema per entry took seconds (issue 29). The message
 * names the first bad entry.
 */
function numberColumn<T extends number | null = number>(min: number, max: number, options: { nullable?: boolean; integer?: boolean } = {}) {
  const integer = options.integer ?? true;
  const what = `${integer ? 'whole numbers' : 'numbers'} from ${min} to ${max}${options.nullable ? ' (or null)' : ''}`;
  return z.custom<T[]>((v) => badEntry(v, min, max, options.nullable ?? false, integer) === -1, {
    error: (issue) => {
      const at = badEntry(issue.input, min, max, options.nullable ?? false, integer);
      return Array.isArray(issue.input) ? `entry ${at} is ${JSON.stringify((issue.input as unknown[])[at])?.slice(0, 20)}; must be ${what}` : `must be a list of ${what}`;
    },
  });
}
/** Index of the first entry outside the rule, -1 when all are fine, 0 for a non-list. */
function badEntry(v: unknown, min: number, max: number, nullable: boolean, integer: boolean): number {
  if (!Array.isArray(v)) return 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === null && nullable) continue;
    if (typeof x !== 'number' || !(x >= min && x <= max) || (integer && !Number.isInteger(x))) return i;
  }
  return -1;
}
const count = z.number().int().nonnegative();
const secondOfDay = z.number().int().min(0).max(86_400);
const BIG = Number.MAX_SAFE_INTEGER;

/** Days of one check as columns, every column with one entry per day: the history store's series and a compact summary's days. */
const dayColumnsShape = {
    /** UTC day of the first entry, e.g. `2021-01-01`. */
    from: DateStringSchema,
    /** Days since the previous entry (the first: since `from`, so 0), e.g. `[0, 1, 1, 3]` (two days without data before the last). */
    step: numberColumn(0, BIG),
    /** Samples per day, e.g. `[1440, 1440]`. */
    samples: numberColumn(1, BIG),
    /** Passing samples per day, e.g. `[1440, 1437]`. */
    ok: numberColumn(0, BIG),
    /** First and last sample, seconds after UTC midnight, e.g. `[12, 0]` and `[86352, 86340]`. */
    first: numberColumn(0, 86_400),
    last: numberColumn(0, 86_400),
    /** Response-time percentiles of passing samples in ms, null on a day without any, e.g. `[81, 80]`. */
    p50: numberColumn<number | null>(0, BIG, { nullable: true, integer: false }),
    p95: numberColumn<number | null>(0, BIG, { nullable: true, integer: false }),
    p99: numberColumn<number | null>(0, BIG, { nullable: true, integer: false }),
    /** Outage runs as [entry index, start second, end second], e.g. `[[1, 23700, 25800]]` for 06:35 to 07:10 on the second day. */
    outages: z.array(z.tuple([count, secondOfDay, secondOfDay])),
};
type DayColumnsInput = { step: number[]; samples: number[]; ok: number[]; first: number[]; last: number[]; p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[]; outages: [number, number, number][] };
/** Every column one entry per day, steps after the first positive, outages naming a real entry. */
function checkColumns(s: DayColumnsInput, ctx: z.RefinementCtx): void {
  const n = s.step.length;
  for (const key of ['samples', 'ok', 'first', 'last', 'p50', 'p95', 'p99'] as const) {
    if (s[key].length !== n) ctx.addIssue({ code: 'custom', path: [key], message: `has ${s[key].length} entries but "step" has ${n}; every column needs one entry per day` });
  }
  s.step.forEach((d, i) => {
    if (i > 0 && d === 0) ctx.addIssue({ code: 'custom', path: ['step', i], message: 'is 0: two entries for one day' });
  });
  s.outages.forEach(([i, from, to], k) => {
    if (i >= n || from > to) ctx.addIssue({ code: 'custom', path: ['outages', k], message: `names entry ${i} of ${n}, or ends before it starts` });
  });
}
export const DayColumnsSchema = z.strictObject(dayColumnsShape).superRefine(checkColumns);
export type DayColumns = z.output<typeof DayColumnsSchema>;

export const SummaryCheckSchema = z.strictObject({
  /** e.g. `jabber.org` */
  domain: z.string().min(1).max(253),
  check: ProbeCheckSchema,
  /** Oldest day first; empty in a compact summary (v2), whose days are in `columns`. */
  days: z.array(SummaryDaySchema),
  /** The days as columns (`npm run probe:summary -- --compact`, issue 29): a fraction of the size, and no per-day objects for the build to hold. Each day is in `days` or here, never both. */
  columns: DayColumnsSchema.optional(),
  /**
   * The last 48 hours at full resolution: one slot per `step` seconds from
   * `from`; each slot is the slowest passing ms, -1 if any sample failed, or
   * no value when there was no sample. Written as `runs` of consecutive
   * slots with a sample, e.g. `[[0, [81, 80, -1]], [2875, [79]]]` (slot
   * offset, values), so a check probed once costs a few bytes, not 2,880
   * slots. Summaries from before issue 10 have `values`, one entry per slot
   * (null for none); both are read.
   */
  recent: z
    .union([
    z.strictObject({
      /** Start of slot 0, e.g. `2026-11-19T12:00:00Z`. */
      from: InstantSchema,
      /** Seconds per slot, e.g. `60`. */
      step: z.number().int().positive(),
      /** Runs of consecutive slots with a sample: [offset of the first slot, values]. */
      runs: z.array(z.tuple([z.number().int().nonnegative(), z.array(z.number().int().min(-1)).min(1)])),
    }),
    z.strictObject({
      from: InstantSchema,
      step: z.number().int().positive(),
      /** One entry per slot, null for none (the format before issue 10). */
      values: z.array(z.number().int().min(-1).nullable()),
    }),
  ])
    // Compact summaries (v2) leave it out: nothing the build shows reads it (issue 29).
    .optional(),
  /** Newest record of this check, e.g. `{ at: '2026-11-21T11:59:00Z', ok: true, ms: 81, target: 'hermes2.jabber.org:5222' }`. */
  last: z.strictObject({
    at: InstantSchema,
    ok: z.boolean(),
    ms: z.number().nonnegative(),
    target: z.string().max(600),
    error: z.string().max(1000).optional(),
    /** Set when the newest record is a check that did not run, e.g. `no-password`; such records are not samples. */
    notRun: ProbeNotRunSchema.optional(),
  }),
  /** Certificate facts from the newest record that had them. */
  cert: SummaryCertSchema.nullable(),
  /** Issue 30: the certificate at each target (a check with two SRV targets has two), e.g. `[{ target: 'hermes2.jabber.org:5222', … }]`; absent in older summaries. */
  certs: z.array(SummaryTargetCertSchema).max(64).optional(),
});
export type SummaryCheck = z.output<typeof SummaryCheckSchema>;

export const ProbeSummarySchema = z.strictObject({
  /** Format version: 1, or 2 for a compact summary (days as `columns`, no `recent`); the build ignores (and names) versions it does not know. */
  v: z.union([z.literal(1), z.literal(2)]),
  /** What wrote it, e.g. `jabber-org-status probe:summary`. */
  generator: z.string().max(200),
  /** When it was written, e.g. `2026-11-21T12:00:05Z`; more than a few minutes ahead of the build's clock and the summary is refused. */
  generatedAt: InstantSchema,
  /** e.g. `ams` */
  vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** One entry per (domain, check) pair, at most `MAX_SUMMARY_CHECKS`. */
  checks: z.array(SummaryCheckSchema).max(MAX_SUMMARY_CHECKS, { error: `holds more than ${MAX_SUMMARY_CHECKS} domain/check pairs; split it by domain` }),
});
export type ProbeSummary = z.output<typeof ProbeSummarySchema>;

/** One location's days of one check, as columns. */
export const HistorySeriesSchema = z
  .strictObject({
    /** Location that measured it, e.g. `ams`. */
    vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    /** e.g. `jabber.org` */
    domain: z.string().min(1).max(253),
    check: ProbeCheckSchema,
    ...dayColumnsShape,
  })
  .superRefine(checkColumns);
export type HistorySeries = z.output<typeof HistorySeriesSchema>;

/** The history file: `history/<scope>.json.gz` on the build host and on the published site. */
export const HistoryFileSchema = z.strictObject({
  /** Format version; a build refuses versions it does not know, naming them. */
  v: z.literal(1),
  /** What wrote it, e.g. `jabber-org-status history`. */
  generator: z.string().max(200),
  /** The newest summary time appended, e.g. `2026-11-21T12:00:05Z`. */
  updatedAt: InstantSchema,
  /** One entry per (location, domain, check). */
  series: z.array(HistorySeriesSchema),
});
export type HistoryFile = z.output<typeof HistoryFileSchema>;

// ---------------------------------------------------------------------------
// The public IM-service directory (issue 17): content/services/<domain>.md,
// one per service applying or listed, and content/services/directory.yaml,
// the directory's settings. The policy itself is code
// (src/lib/directory/policy.ts); these are only the declared facts.
// ---------------------------------------------------------------------------

/** What the policy says of one item for one service. */
export const POLICY_VERDICTS = ['pass', 'fail', 'unknown'] as const;
export const PolicyVerdictSchema = z.enum(POLICY_VERDICTS);
export type PolicyVerdict = z.output<typeof PolicyVerdictSchema>;

/**
 * Where a service stands, always derived from its file and the probes:
 * `testing` (fewer than the testing days of data), `listed`, `failing` (an
 * item has failed longer than the grace period, or failed when testing
 * ended), `withdrawn` (the file has a `withdrawn` date that has come).
 */
export const SERVICE_STATES = ['testing', 'listed', 'failing', 'withdrawn'] as const;
export const ServiceStateSchema = z.enum(SERVICE_STATES);
export type ServiceState = z.output<typeof ServiceStateSchema>;

/** How people create an account: `in-band` (from their XMPP app, XEP-0077) or `web` (a sign-up page). */
export const REGISTRATION_METHODS = ['in-band', 'web'] as const;

const SERVICE_DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
/**
 * A public DNS domain, lower case, e.g. `example.org`. Directory entries come
 * from outside pull requests and the probe connects to what they name, so IP
 * addresses in any spelling and special-use names are refused (issue 22,
 * shared/dns-name.ts).
 */
export const ServiceDomainSchema = z
  .string({ error: 'must be a domain name such as example.org' })
  .regex(SERVICE_DOMAIN, { error: 'must be a lower-case domain name with a dot, such as example.org' })
  .superRefine((domain, ctx) => {
    // The regex above already names a malformed domain; say one thing at a time.
    const problem = SERVICE_DOMAIN.test(domain) ? dnsNameProblem(domain) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: `"${domain}" ${problem}` });
  });

/**
 * A service's web address (website, sign-up page): http(s), at most 500
 * characters, on a public DNS name (the probe fetches it; issue 22), e.g.
 * `https://www.example.org/register`.
 */
export const ServiceUrlSchema = HttpUrlSchema.max(500, { error: 'must be at most 500 characters' }).superRefine((href, ctx) => {
  let host: string;
  try {
    const url = new URL(href);
    if (!/^https?:$/.test(url.protocol)) return; // HttpUrlSchema has said so.
    // The address is published and probed: a password in it would be printed everywhere.
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password; give the public address' });
    host = url.hostname;
  } catch {
    return; // HttpUrlSchema has said so.
  }
  const problem = dnsNameProblem(host);
  if (problem) ctx.addIssue({ code: 'custom', message: `the host "${host.slice(0, 100)}" ${problem}` });
});

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
/** English name of an ISO 3166-1 alpha-2 code, e.g. `DE` → `Germany`; the code itself when unknown. */
export const countryName = (code: string) => {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    // Not a well-formed region code (zod runs every check, so "Germany" gets here too).
    return code;
  }
};

export const ServiceFrontmatterSchema = z.strictObject({
  /** Name readers see, e.g. `Example IM`. */
  name: z.string().trim().min(1).max(80, { error: 'must be at most 80 characters' }),
  /** The XMPP domain people register on; must equal the file name, e.g. `example.org`. */
  domain: ServiceDomainSchema,
  /** The service's website with information for users, e.g. `https://www.example.org/`. */
  website: ServiceUrlSchema,
  /** How people create an account. */
  registration: z
    .strictObject({
      /** `in-band` (from an XMPP app) or `web` (a sign-up page), e.g. `in-band`. */
      method: z.enum(REGISTRATION_METHODS),
      /** The sign-up page: required for `web`, optional for `in-band`, e.g. `https://www.example.org/register`. */
      url: ServiceUrlSchema.optional(),
    })
    .refine((r) => r.method !== 'web' || r.url !== undefined, { error: 'needs "url", the sign-up page, when the method is "web"', path: ['url'] }),
  /** Who runs the service. */
  administrator: z
    .strictObject({
      /** A person or organisation, e.g. `Jane Doe` or `Example e.V.`. */
      name: z.string().trim().min(1),
      /** XMPP address, e.g. `admin@example.org`. */
      jid: z.string().regex(/^[^@/\s"&'<>:]+@[a-z0-9.-]+\.[a-z0-9-]+$/i, { error: 'must be an XMPP address such as admin@example.org' }).optional(),
      /** Email address, e.g. `admin@example.org`. */
      email: z.email({ error: 'must be an email address such as admin@example.org' }).optional(),
    })
    .refine((a) => a.jid !== undefined || a.email !== undefined, { error: 'needs at least one contact address: "jid", "email" or both', path: ['jid'] }),
  /** Approximately where the server is. */
  location: z.strictObject({
    /** ISO 3166-1 two-letter country code, in capitals, e.g. `DE`. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, { error: 'must be a two-letter country code in capitals, such as DE or US' })
      .refine((c) => !/^[A-Z]{2}$/.test(c) || (countryName(c) !== c && c !== 'ZZ'), { error: (i) => `"${String(i.input)}" is not a country code. Use the ISO 3166-1 code, such as DE or US` }),
    /** Nearest city, e.g. `Berlin`. */
    city: z.string().trim().min(1),
  }),
  /** The day the application was received (the pull request was opened), e.g. `2026-10-01`. */
  applied: DateStringSchema,
  /** The day a jabber.org admin verified the administrator by telephone (the one item no probe can check), e.g. `2026-10-05`. */
  phoneVerified: DateStringSchema.optional(),
  /** The day the service left the directory (its operator asked, or it closed), e.g. `2027-03-01`. */
  withdrawn: DateStringSchema.optional(),
});
export type ServiceFrontmatter = z.output<typeof ServiceFrontmatterSchema>;

const LocationSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lower-case letters, digits and dashes, e.g. "ams"' });
/**
 * One file of the directory's monitoring data and the location that made
 * it: a `path` or a `url`, as the sources in content/site.yaml (one object,
 * not a union, so a mistake is named field by field).
 */
export const DirectorySourceSchema = z
  .strictObject({
    /** The probe host's location readers see, e.g. `ams`; several files may share one. */
    location: LocationSchema,
    /** A summary file made by `npm run probe:summary`, relative to the project, e.g. `probe-data/services-ams-1.json`. */
    path: z.string().min(1).optional(),
    /** Or a summary published by a probe host, e.g. `https://probe-ams.jabber.org/services-1.json`. */
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) address' }).optional(),
    /** True for made-up data; the pages then say so. */
    sample: z.boolean().default(false),
    /** Follow a redirect to another origin, as in content/site.yaml (with `url` only). */
    allowCrossOriginRedirects: z.boolean().default(false),
  })
  .refine((s) => (s.path === undefined) !== (s.url === undefined), { error: 'needs exactly one of "path" (a summary file) or "url" (where a probe host publishes it)', path: ['path'] });
export type DirectorySource = z.output<typeof DirectorySourceSchema>;

export const DirectoryConfigSchema = z.strictObject({
  /** Days a listed service may fail an item before it is shown as failing, e.g. `7`. */
  graceDays: z.number({ error: 'must be a number of days, e.g. 7' }).int({ error: 'must be a whole number of days' }).min(0, { error: 'must be 0 or more days' }).max(90, { error: 'must be at most 90 days (the data window)' }).default(7),
  /** Days of monitoring data a new service needs before it can be listed (the policy's one-month testing period), e.g. `30`. */
  testingDays: z.number({ error: 'must be a number of days, e.g. 30' }).int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1 day' }).max(89, { error: 'must be under 90 days (the data window)' }).default(30),
  /** Seconds between probe runs of the directory (`npm run probe -- --services`), e.g. `300`; results older than twice this are stale. */
  intervalSeconds: z.number().int().positive().default(300),
  /** Uptime each service must keep over 30 days, in percent, e.g. `99.9`. */
  uptimeTarget: z.number().gt(0).lt(100).default(99.9),
  /**
   * Where the build gets the directory's monitoring data: summary files or
   * addresses as in content/site.yaml, each with the location it comes
   * from. A summary holds at most 400 domain/check pairs (about 60
   * services), so one location may have several files; they are joined.
   */
  sources: z.array(DirectorySourceSchema).default([]),
  /** Large public servers jabber.org's federation is pinged with (XEP-0199), e.g. `[xmpp.org, conversations.im]`. */
  federation: z.array(ServiceDomainSchema).max(100).default([]),
});
export type DirectoryConfig = z.output<typeof DirectoryConfigSchema>;

// ---------------------------------------------------------------------------
// Certificate continuity (issue 30): the certificates each location has seen
// at each target, kept across builds by the build host
// (`.history/certificates.json`, src/lib/certs/cert-history.ts), and the
// admins' announcements of planned changes (content/certificates.yaml).
// ---------------------------------------------------------------------------

/** One certificate as the history keeps it: what a change message and the renewal rule need. */
export const CertHistoryCertSchema = z.strictObject({
  /** SHA-256 of the certificate, e.g. `5A:3C:…`. */
  fingerprint256: z.string().min(1).max(200),
  /** SHA-256 of its public key, when the probe recorded it, e.g. `1F:0A:…`. */
  spki256: z.string().max(200).optional(),
  /** Names in it, e.g. `['DNS:jabber.org']`. */
  names: z.array(z.string().max(1000)).max(100),
  /** e.g. `jabber.org` */
  subject: z.string().max(1000),
  /** e.g. `R11` */
  issuer: z.string().max(1000),
  /** e.g. `Let's Encrypt` */
  issuerOrg: z.string().max(1000).optional(),
  /** e.g. `2027-01-15T23:59:59Z`, null when unreadable. */
  validTo: InstantSchema.nullable(),
  /** First time any record showed it at this target from this location, e.g. `2026-10-17T03:00:00Z`. */
  firstSeen: InstantSchema,
  /** Last time, e.g. `2026-11-21T11:59:00Z`. */
  lastSeen: InstantSchema,
});
export type CertHistoryCert = z.output<typeof CertHistoryCertSchema>;

export const CertHistoryFileSchema = z.strictObject({
  /** Format version; a build refuses versions it does not know. */
  v: z.literal(1),
  /** What wrote it, e.g. `jabber-org-status certificates`. */
  generator: z.string().max(200),
  /** Newest summary time read, e.g. `2026-11-21T12:00:05Z`. */
  updatedAt: InstantSchema,
  /** One entry per (location, domain, check, target): the certificates seen there, oldest first, at most 50. */
  series: z
    .array(
      z.strictObject({
        vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
        domain: z.string().min(1).max(253),
        check: ProbeCheckSchema,
        target: z.string().min(1).max(600),
        certs: z.array(CertHistoryCertSchema).min(1).max(50),
      }),
    )
    .max(20_000),
});
export type CertHistoryFile = z.output<typeof CertHistoryFileSchema>;

/**
 * One planned certificate change an admin announces ahead (content/certificates.yaml),
 * so that readers see it coming and the change is judged "expected" when it happens.
 */
export const CertAnnouncementSchema = z
  .strictObject({
    /** The XMPP domain whose certificate changes, e.g. `jabber.org`. */
    domain: z.string({ error: 'is missing. Name the domain whose certificate changes, e.g. domain: jabber.org' }).min(1).max(253),
    /** Which checks (ports) it concerns, e.g. `[c2s-starttls, c2s-directtls, s2s-starttls]`; every port of the domain when left out. */
    checks: z.array(z.enum(['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'website'], { error: 'must be one of c2s-starttls, c2s-directtls, s2s-starttls, website' })).min(1).optional(),
    /** When the change may happen from, with an offset, e.g. `2026-11-25T03:00:00Z`. */
    from: z.iso.datetime({ offset: true, error: 'must be a time with an offset, e.g. 2026-11-25T03:00:00Z' }),
    /** Until when, e.g. `2026-11-25T05:00:00Z`; a change seen after it is no longer covered. */
    until: z.iso.datetime({ offset: true, error: 'must be a time with an offset, e.g. 2026-11-25T05:00:00Z' }),
    /** The new certificate's SHA-256, when known, in any spelling (colons or not), e.g. `5A:3C:9E:…`. */
    fingerprint256: z.string().regex(/^[0-9a-fA-F:\s]+$/, { error: 'must be the 64 hex digits of a SHA-256, with or without colons' }).refine((s) => s.replace(/[^0-9a-f]/gi, '').length === 64, { error: 'must have 64 hex digits (a SHA-256)' }).optional(),
    /** The new public key's SHA-256 (SPKI), when known, e.g. `1F:0A:…`. */
    spki256: z.string().regex(/^[0-9a-fA-F:\s]+$/, { error: 'must be the 64 hex digits of a SHA-256, with or without colons' }).refine((s) => s.replace(/[^0-9a-f]/gi, '').length === 64, { error: 'must have 64 hex digits (a SHA-256)' }).optional(),
    /** What readers are told, one or two sentences, e.g. `We move to a new key; your app may ask you to accept the new certificate.` */
    note: z.string({ error: 'is missing. Say in a sentence what changes and what readers may see' }).trim().min(1).max(500),
  })
  .refine((a) => Date.parse(a.until) > Date.parse(a.from), { error: '"until" must be after "from"', path: ['until'] });
export type CertAnnouncement = z.output<typeof CertAnnouncementSchema>;

export const CertAnnouncementsFileSchema = z.strictObject({
  /** Planned changes, any order. */
  announcements: z.array(CertAnnouncementSchema).max(200).default([]),
});
