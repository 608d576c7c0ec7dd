/** Upcoming, in-progress and recent maintenance as an iCalendar feed; see src/lib/publish/icalendar.ts. */
import type { APIRoute } from 'astro';
import { content, now } from '../data.ts';
import { renderCalendar } from '../lib/publish/icalendar.ts';

export const GET: APIRoute = () => new Response(renderCalendar(content, now), { headers: { 'content-type': 'text/calendar; charset=utf-8' } });
