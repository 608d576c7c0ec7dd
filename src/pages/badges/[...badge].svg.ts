/** SVG status and uptime badges; see src/lib/publish/badges.ts. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { content, status } from '../../data.ts';
import { buildBadges } from '../../lib/publish/badges.ts';

const badges = buildBadges(content, status);

export const getStaticPaths = (() => badges.map((b) => ({ params: { badge: b.path }, props: { svg: b.svg } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => new Response((props as { svg: string }).svg, { headers: { 'content-type': 'image/svg+xml' } });
