/** The certificates each location sees, their agreement, planned and past changes (issue 30); see src/lib/certs/cert-api.ts. */
import type { APIRoute } from 'astro';
import { certAnnouncements, certificateChanges, certificates, now } from '../../data.ts';
import { certificatesJson } from '../../lib/certs/cert-api.ts';

export const GET: APIRoute = () =>
  new Response(`${JSON.stringify(certificatesJson(certificates, certificateChanges, certAnnouncements, now), null, 2)}\n`, {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
