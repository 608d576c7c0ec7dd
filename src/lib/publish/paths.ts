/**
 * Every URL the site links to, in one place, so pages, feeds and the API
 * cannot drift apart. Paths are relative to the site's base path.
 */

/** e.g. `incidentPath('2026-11-09-login-failures')` → `incidents/2026-11-09-login-failures/` */
export const incidentPath = (slug: string) => `incidents/${slug}/`;
/** e.g. `updatePath('2026-11-20')` → `updates/2026-11-20/` */
export const updatePath = (date: string) => `updates/${date}/`;
/** e.g. `componentPath('c2s')` → `components/c2s/` */
export const componentPath = (id: string) => `components/${id}/`;
/** e.g. `maintenancePath('2026-11-25-m-link-upgrade')` → `maintenance/2026-11-25-m-link-upgrade/` */
export const maintenancePath = (slug: string) => `maintenance/${slug}/`;

/**
 * Joins the base path and a site path.
 * @param base e.g. `/` or `/status/`
 * @param path e.g. `incidents/` (a leading slash is ignored)
 */
export function withBase(base: string, path: string): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  return b + path.replace(/^\//, '');
}

/**
 * An absolute URL for feeds, canonical links and the API.
 * @param siteUrl e.g. `https://status.jabber.org`
 */
export function absoluteUrl(siteUrl: string, base: string, path: string): string {
  return siteUrl.replace(/\/$/, '') + withBase(base, path);
}
