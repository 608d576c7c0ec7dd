/**
 * `npm run sample:probes`: writes the bundled sample monitoring data,
 * content/probe-sample/<location>.json; the story is told in
 * src/lib/monitoring/sample-summaries.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { makeSampleSummary, SAMPLE_LOCATIONS } from '../src/lib/monitoring/sample-summaries.ts';

mkdirSync('content/probe-sample', { recursive: true });
for (const [i, location] of (Object.keys(SAMPLE_LOCATIONS) as (keyof typeof SAMPLE_LOCATIONS)[]).entries()) {
  const text = `${JSON.stringify(makeSampleSummary(location, 1000 + i))}\n`;
  writeFileSync(`content/probe-sample/${location}.json`, text);
  console.log(`content/probe-sample/${location}.json: ${text.length} bytes`);
}
