/**
 * Notifications: the `notify` block of content/site.yaml (`npm run notify`,
 * issue 15). No secret is ever written here: passwords and keys are named by
 * the environment variable or the file that holds them.
 */
import { z } from 'astro/zod';
import { HttpUrlSchema, IdSchema } from './building-blocks.ts';
import { ComponentGroupSchema, ComponentSchema, ProbesConfigSchema } from './site-config.ts';

/** Name of an environment variable, e.g. `NOTIFY_XMPP_PASSWORD`. */
const EnvNameSchema = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be the name of an environment variable in capitals, e.g. NOTIFY_XMPP_PASSWORD' });

/** A field that exists only to refuse a secret written in the file, with the fix. */
const noSecretHere = (env: string, file: string) =>
  z
    .never({
      error: `must not be written in content/site.yaml, which is public. Put it in an environment variable named by "${env}" or a file named by "${file}"`,
    })
    .optional();

/** A bare XMPP address, e.g. `status@jabber.org`. */
const BareJidSchema = z.string().regex(/^[^@/\s"&'<>:]+@[a-z0-9.-]+$/i, { error: 'must be an XMPP address such as status@jabber.org' });

const XmppDomainSchema = z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, {
  error: 'must be a domain name such as pubsub.jabber.org',
});

const NotifyRetrySchema = z.strictObject({
  /** Tries per entry and channel before the channel gives up until the next run, e.g. `4`. */
  attempts: z.number().int().min(1).max(10).default(4),
  /** Pause before the first retry, doubled before each next one, in seconds, e.g. `2`. */
  firstDelaySeconds: z.number().min(0).max(600).default(2),
  /** Longest pause between tries, in seconds, e.g. `60`. */
  maxDelaySeconds: z.number().min(0).max(3600).default(60),
});

const NotifyXmppSchema = z
  .strictObject({
    /** The account that publishes, posts and is the status contact, e.g. `status@jabber.org`. */
    jid: BareJidSchema,
    /** Environment variable holding its password, e.g. `NOTIFY_XMPP_PASSWORD`. */
    passwordEnv: EnvNameSchema.optional(),
    /** Or a file holding it (first line), e.g. `/etc/jabber-status/xmpp-password`. */
    passwordFile: z.string().min(1).optional(),
    password: noSecretHere('passwordEnv', 'passwordFile'),
    /** Connect here instead of looking up the domain's SRV records, e.g. `hermes2.jabber.org:5222`. */
    server: z
      .string()
      .regex(/^[^\s:/]+:\d{1,5}$/, { error: 'must be HOST:PORT, e.g. hermes2.jabber.org:5222' })
      .optional(),
    /** XEP-0060 PubSub: one Atom item per entry. */
    pubsub: z
      .strictObject({
        /** The PubSub service, e.g. `pubsub.jabber.org`. */
        service: XmppDomainSchema,
        /** Node every entry goes to, e.g. `status`. */
        node: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'must be lower-case letters, digits, dots, dashes or underscores, e.g. "status"' })
          .default('status'),
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

const NotifyEmailSchema = z
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
      .record(
        z.string().regex(/^List-[A-Za-z-]+$/, { error: 'only List-* headers (RFC 2369, RFC 2919) are passed through, e.g. List-Id' }),
        z
          .string()
          .min(1)
          .max(500)
          .regex(/^[^\r\n]*$/, { error: 'must be one line' }),
      )
      .default({}),
  })
  .refine((x) => x.username !== undefined || (x.passwordEnv === undefined && x.passwordFile === undefined), {
    error: 'a password needs a "username" to log in with',
    path: ['username'],
  })
  .refine((x) => x.passwordEnv === undefined || x.passwordFile === undefined, {
    error: 'give "passwordEnv" or "passwordFile", not both',
    path: ['passwordFile'],
  });

const NotifyWebhookSchema = z
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

const NotifyConfigSchema = z
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
      if (names.has(w.name))
        ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'name'], message: `"${w.name}" is used by two webhooks. Give each its own name` });
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
        ctx.addIssue({
          code: 'custom',
          path: ['probes', 'components', id],
          message: `"${id}" is not a component. Use one of: ${[...componentIds].join(', ')}`,
        });
      }
    }
    const fedComponent = site.probes.federation.component;
    if (fedComponent !== undefined && !componentIds.has(fedComponent)) {
      ctx.addIssue({
        code: 'custom',
        path: ['probes', 'federation', 'component'],
        message: `"${fedComponent}" is not a component. Use one of: ${[...componentIds].join(', ')}`,
      });
    }
    const names = new Set<string>();
    site.probes.sources.forEach((source, i) => {
      if (names.has(source.name))
        ctx.addIssue({
          code: 'custom',
          path: ['probes', 'sources', i, 'name'],
          message: `"${source.name}" is used by two sources. Give each location its own name`,
        });
      names.add(source.name);
    });
    const groupIds = new Set<string>();
    site.groups.forEach((g, i) => {
      if (groupIds.has(g.id))
        ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: `"${g.id}" is used by two groups. Give each group its own id` });
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
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'id'],
          message: `"${c.id}" is also a group id; the API lists groups and components together. Rename the component or the group`,
        });
      }
      if (c.id.endsWith('-uptime')) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'id'],
          message: `"${c.id}" ends in "-uptime", which the site uses for uptime badges (badges/components/<id>-uptime.svg). Choose an id without it`,
        });
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
