/**
 * The monitoring history store (issue 29), published with each release as
 * `history/status.json.gz` and `history/directory.json.gz`, so any machine
 * that can publish restores it: `npm run history -- restore https://<site>/history/status.json.gz`.
 */
import type { APIRoute } from 'astro';
import { historyFiles } from '../../data.ts';
import { staticPaths } from '../../lib/site/page-reads.ts';

export const getStaticPaths = staticPaths('/history/[file]', () => {
  return [...historyFiles.keys()].map((file) => ({ params: { file } }));
});

export const GET: APIRoute = ({ params }) =>
  new Response(historyFiles.get(String(params.file)) as BodyInit, { headers: { 'content-type': 'application/gzip' } });
