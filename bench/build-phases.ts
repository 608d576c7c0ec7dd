/**
 * Preloaded into the benchmarked `astro build` (`node --import`) to time its
 * phases from the inside, without touching the site's code:
 *
 * - `generateAt`: Astro prints "generating static routes" (bundling done);
 * - `firstRouteAt`: it prints the first route, so every `getStaticPaths` has
 *   run, which is when `src/data.ts` loads and validates the content and
 *   computes status, feeds and archives;
 * - `doneAt`: it prints "Completed in" after the last route;
 * - `writeWaitMs`: time with at least one page write (`fs.promises.mkdir` or
 *   `writeFile`, which Astro's generator calls for every page) in flight
 *   between the first route and the end;
 * - `renderBusyMs`/`renderIdleMs`: event-loop utilisation over the same span,
 *   i.e. how long the main thread computed and how long it sat waiting.
 *
 * On exit it writes these, `process.cpuUsage()` and `process.resourceUsage()`
 * (user CPU of every thread, peak RSS) as JSON to `BENCH_PHASES_OUT`.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const out = process.env.BENCH_PHASES_OUT;
const marks: { generateAt?: number; firstRouteAt?: number; doneAt?: number } = {};
let writeWaitMs = 0;
let inFlight = 0;
let since = 0;
let eluAtFirstRoute: ReturnType<typeof performance.eventLoopUtilization> | undefined;
let renderElu: ReturnType<typeof performance.eventLoopUtilization> | undefined;

function timed<A extends unknown[], R>(original: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const counting = marks.firstRouteAt !== undefined && marks.doneAt === undefined;
    if (counting && inFlight++ === 0) since = performance.now();
    try {
      return await original(...args);
    } finally {
      if (counting && --inFlight === 0) writeWaitMs += performance.now() - since;
    }
  };
}
fs.promises.writeFile = timed(fs.promises.writeFile.bind(fs.promises)) as typeof fs.promises.writeFile;
fs.promises.mkdir = timed(fs.promises.mkdir.bind(fs.promises)) as typeof fs.promises.mkdir;

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  const t = performance.now();
  if (marks.generateAt === undefined && text.includes('generating static routes')) marks.generateAt = t;
  else if (marks.generateAt !== undefined && marks.firstRouteAt === undefined && text.includes('├─')) {
    marks.firstRouteAt = t;
    eluAtFirstRoute = performance.eventLoopUtilization();
  } else if (marks.firstRouteAt !== undefined && marks.doneAt === undefined && text.includes('Completed in')) {
    marks.doneAt = t;
    renderElu = performance.eventLoopUtilization(performance.eventLoopUtilization(), eluAtFirstRoute);
  }
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

process.on('exit', () => {
  if (!out) return;
  const usage = process.resourceUsage();
  fs.writeFileSync(
    out,
    JSON.stringify({
      ...marks,
      exitAt: performance.now(),
      writeWaitMs,
      renderBusyMs: renderElu?.active,
      renderIdleMs: renderElu?.idle,
      userCpuMs: usage.userCPUTime / 1000,
      systemCpuMs: usage.systemCPUTime / 1000,
      maxRssMb: usage.maxRSS / 1024,
    }),
  );
});
