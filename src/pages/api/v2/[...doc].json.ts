/** Statuspage v2-compatible JSON (see src/lib/publish/statuspage-api.ts for the mapping). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { content, status } from '../../../data.ts';
import { buildStatuspageApi, statuspageDocuments } from '../../../lib/publish/statuspage-api.ts';

const documents = statuspageDocuments(buildStatuspageApi(content, status));

export const getStaticPaths = (() => Object.keys(documents).map((path) => ({ params: { doc: path.replace(/\.json$/, '') } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(`${JSON.stringify(documents[`${params.doc}.json`], null, 2)}\n`, { headers: { 'content-type': 'application/json; charset=utf-8' } });
