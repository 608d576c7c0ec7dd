/** /api/services.json: each directory service's state and checklist (src/lib/directory/api.ts); an empty list without a directory. */
import type { APIRoute } from 'astro';
import { directory, now, site } from '../../data.ts';
import { servicesApi } from '../../lib/directory/api.ts';
import { absoluteUrl } from '../../lib/publish/paths.ts';

export const GET: APIRoute = () =>
  new Response(
    `${JSON.stringify(
      servicesApi(directory, (d) => absoluteUrl(site.url, site.base, `services/${d}/`), now),
      null,
      2,
    )}\n`,
    {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
  );
