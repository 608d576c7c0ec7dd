/** Statuspage v2-compatible JSON (see src/lib/publish/statuspage-api.ts for the mapping). */
import type { APIRoute } from 'astro';
import { content, status } from '../../../data.ts';
import { staticPaths } from '../../../lib/site/page-reads.ts';
import { buildStatuspageApi, statuspageDocuments } from '../../../lib/publish/statuspage-api.ts';

// Computed inside getStaticPaths, not at module load, so the status they
// read is noted against this route (src/lib/site/page-reads.ts).
export const getStaticPaths = staticPaths('/api/v2/[...doc].json', () =>
  Object.entries(statuspageDocuments(buildStatuspageApi(content, status))).map(([path, document]) => ({
    params: { doc: path.replace(/\.json$/, '') },
    props: { document },
  })),
);

export const GET: APIRoute = ({ props }) =>
  new Response(`${JSON.stringify((props as { document: unknown }).document, null, 2)}\n`, { headers: { 'content-type': 'application/json; charset=utf-8' } });
