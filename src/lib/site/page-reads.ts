/**
 * Which pages read monitoring or the clock, found while rendering (issue 28).
 *
 * The live lane re-renders only the pages whose bytes can change when
 * monitoring or the clock moves and carries every other file of the live
 * release over unchanged. That set is not kept by hand: `src/data.ts` hands
 * every value that depends on monitoring or `now` to the pages through
 * `live(name, value)`, a proxy that notes each read in the page being
 * rendered (`src/middleware.ts` names it) or in the route whose
 * `getStaticPaths` is running (`staticPaths` below). A page that never read
 * one of them was made from content and code alone, so while both are
 * unchanged its bytes are too.
 *
 * What cannot be attributed (a read at module load, outside any page or
 * `getStaticPaths`) is recorded as `unscoped`, and a release with such a
 * read is never the base of a live build: the next build is a full one.
 *
 * The record lives on `globalThis` because Astro's build runs the pages
 * from its own bundle (its own copy of this module), while the integration
 * that writes the record to disk runs from the config's copy.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { PAGE_READS_VERSION, type LivePlan, type PageReads } from '../schemas.ts';

interface Scope {
  route: string;
  /** The URL path when rendering a page; absent while `getStaticPaths` runs. */
  page?: string;
}

const KEY = Symbol.for('jabber-status.page-reads');
interface Global {
  record: PageReads;
  plan: LivePlan | undefined;
  scope: AsyncLocalStorage<Scope>;
}
function state(): Global {
  const g = globalThis as unknown as Record<symbol, Global | undefined>;
  return (g[KEY] ??= { record: emptyRecord(), plan: undefined, scope: new AsyncLocalStorage<Scope>() });
}

function emptyRecord(): PageReads {
  return { version: PAGE_READS_VERSION, pages: {}, liveRoutes: {}, unscoped: [], base: '/', validUntil: null };
}

/** Starts a new record and clears the plan (each build process makes one; tests make several). */
export function resetPageReads(): void {
  state().record = emptyRecord();
  state().plan = undefined;
}

/** The record so far (the integration writes it when the build is done). */
export function currentRecord(): PageReads {
  return state().record;
}

/** Notes until when the content pages of this build stay current (`ContentView.validUntil`), and the site's base path. */
export function noteValidUntil(at: Date | undefined, base: string): void {
  state().record.validUntil = at ? at.toISOString() : null;
  state().record.base = base;
}

/** Sets the plan of a live build: only the pages it names are rendered. Undefined: a full build. */
export function setLivePlan(plan: LivePlan | undefined): void {
  state().plan = plan;
}

/** Canonical JSON of a page's params (sorted keys, values as Astro passes them: strings, or undefined for an empty rest param). */
export function paramsKey(params: Record<string, string | number | undefined>): string {
  const sorted: Record<string, string | null> = {};
  for (const k of Object.keys(params).sort()) sorted[k] = params[k] === undefined ? null : String(params[k]);
  return JSON.stringify(sorted);
}

function noteRead(name: string): void {
  const { record, scope } = state();
  const s = scope.getStore();
  if (!s) {
    const where = `${name} (read outside any page)`;
    if (!record.unscoped.includes(where)) record.unscoped.push(where);
    return;
  }
  if (s.page === undefined) {
    const reads = (record.liveRoutes[s.route] ??= []);
    if (!reads.includes(name)) reads.push(name);
    return;
  }
  const page = record.pages[s.page];
  if (page && !page.reads.includes(name)) page.reads.push(name);
}

/**
 * `value`, with every read of one of its properties noted in the current
 * page. Methods are bound to the value itself, so a `Date`'s `getTime()` or
 * a `Map`'s `get()` work through the proxy. Only the first level is
 * watched: anything deeper was reached through a noted read.
 * @example export const status = live('status', view.status);
 */
export function live<T extends object>(name: string, value: T): T {
  return new Proxy(value, {
    get(target, key) {
      noteRead(name);
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    has(target, key) {
      noteRead(name);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      noteRead(name);
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      noteRead(name);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/** Renders one page inside its scope (src/middleware.ts), so its reads are its own. */
export function inPage<T>(route: string, page: string, params: Record<string, string | number | undefined>, render: () => T): T {
  const { record, scope } = state();
  record.pages[page] = { route, params: paramsKey(params), reads: [] };
  return scope.run({ route, page }, render);
}

/**
 * A route's `getStaticPaths`, run in the route's scope so a live value it
 * reads marks the whole route live. In a live build it returns only the
 * paths of the pages the plan names (every path when the whole route is
 * live); in a full build, every path.
 * @param route the route's pattern, exactly as Astro names it, e.g. `/incidents/[slug]` (a test checks each page file's)
 * @example export const getStaticPaths = staticPaths('/incidents/[slug]', () => content.incidents.map((i) => ({ params: { slug: i.slug }, props: { incident: i } })));
 */
export function staticPaths<P extends { params: Record<string, string | number | undefined> }>(route: string, paths: () => P[]): () => P[] {
  return () => {
    const plan = state().plan;
    const wanted = plan && !plan.wholeRoutes.includes(route) ? new Set(plan.pages[route] ?? []) : undefined;
    // A route the plan needs nothing of is not even listed: its paths read
    // no live value (or it would be whole), so they and its pages are the
    // live release's. At 50,000 incidents this skips listing them all.
    if (wanted && wanted.size === 0) return [];
    const all = state().scope.run({ route }, paths);
    return wanted ? all.filter((p) => wanted.has(paramsKey(p.params))) : all;
  };
}
