/** XEP-0455 external status document; see src/lib/publish/outage-status.ts. */
import type { APIRoute } from 'astro';
import { site, status } from '../../data.ts';
import { serviceOutageStatus } from '../../lib/publish/outage-status.ts';
import { absoluteUrl } from '../../lib/publish/paths.ts';

export const GET: APIRoute = () =>
  new Response(`${JSON.stringify(serviceOutageStatus(status, absoluteUrl(site.url, site.base, '')), null, 2)}\n`, {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
