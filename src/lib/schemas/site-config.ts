/**
 * Site configuration: content/site.yaml
 */
import { z } from 'astro/zod';
import { IdSchema } from './building-blocks.ts';
import { ProbeCheckSchema } from './vocabularies.ts';

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
      servers: z
        .array(
          z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, {
            error: 'must be a lower-case domain name with a dot, such as xmpp.org',
          }),
        )
        .max(100)
        .default([]),
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
