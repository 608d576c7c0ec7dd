/** SVG status and uptime badges; see src/lib/publish/badges.ts. */
import type { APIRoute } from 'astro';
import { content, status } from '../../data.ts';
import { staticPaths } from '../../lib/site/page-reads.ts';
import { buildBadges } from '../../lib/publish/badges.ts';

// Built inside getStaticPaths, not at module load, so the status they read
// is noted against this route (src/lib/site/page-reads.ts).
export const getStaticPaths = staticPaths('/badges/[...badge].svg', () =>
  buildBadges(content, status).map((b) => ({ params: { badge: b.path }, props: { svg: b.svg } })),
);

export const GET: APIRoute = ({ props }) => new Response((props as { svg: string }).svg, { headers: { 'content-type': 'image/svg+xml' } });
