/**
 * The public IM-service directory (issue 17): content/services/<domain>.md,
 * one per service applying or listed, and content/services/directory.yaml,
 * the directory's settings. The policy itself is code
 * (src/lib/directory/policy.ts); these are only the declared facts.
 */
import { z } from 'astro/zod';
import { dnsNameProblem } from '../shared/dns-name.ts';
import { DateStringSchema, HttpUrlSchema } from './building-blocks.ts';

/** What the policy says of one item for one service. */
const POLICY_VERDICTS = ['pass', 'fail', 'unknown'] as const;
const PolicyVerdictSchema = z.enum(POLICY_VERDICTS);
export type PolicyVerdict = z.output<typeof PolicyVerdictSchema>;

/**
 * Where a service stands, always derived from its file and the probes:
 * `testing` (fewer than the testing days of data), `listed`, `failing` (an
 * item has failed longer than the grace period, or failed when testing
 * ended), `withdrawn` (the file has a `withdrawn` date that has come).
 */
const SERVICE_STATES = ['testing', 'listed', 'failing', 'withdrawn'] as const;
const ServiceStateSchema = z.enum(SERVICE_STATES);
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
const ServiceUrlSchema = HttpUrlSchema.max(500, { error: 'must be at most 500 characters' }).superRefine((href, ctx) => {
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
      jid: z
        .string()
        .regex(/^[^@/\s"&'<>:]+@[a-z0-9.-]+\.[a-z0-9-]+$/i, { error: 'must be an XMPP address such as admin@example.org' })
        .optional(),
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
      .refine((c) => !/^[A-Z]{2}$/.test(c) || (countryName(c) !== c && c !== 'ZZ'), {
        error: (i) => `"${String(i.input)}" is not a country code. Use the ISO 3166-1 code, such as DE or US`,
      }),
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
  .refine((s) => (s.path === undefined) !== (s.url === undefined), {
    error: 'needs exactly one of "path" (a summary file) or "url" (where a probe host publishes it)',
    path: ['path'],
  });

export const DirectoryConfigSchema = z.strictObject({
  /** Days a listed service may fail an item before it is shown as failing, e.g. `7`. */
  graceDays: z
    .number({ error: 'must be a number of days, e.g. 7' })
    .int({ error: 'must be a whole number of days' })
    .min(0, { error: 'must be 0 or more days' })
    .max(90, { error: 'must be at most 90 days (the data window)' })
    .default(7),
  /** Days of monitoring data a new service needs before it can be listed (the policy's one-month testing period), e.g. `30`. */
  testingDays: z
    .number({ error: 'must be a number of days, e.g. 30' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: 'must be at least 1 day' })
    .max(89, { error: 'must be under 90 days (the data window)' })
    .default(30),
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
