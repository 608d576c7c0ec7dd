/** Every maintenance window as an iCalendar feed; see src/lib/publish/icalendar.ts. */
import type { APIRoute } from 'astro';
import { content } from '../data.ts';
import { renderCalendar } from '../lib/publish/icalendar.ts';

export const GET: APIRoute = () => new Response(renderCalendar(content), { headers: { 'content-type': 'text/calendar; charset=utf-8' } });
