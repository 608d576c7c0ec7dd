/**
 * `npm run sample:services`: writes the sample directory's monitoring data,
 * content/probe-sample/services-<location>.json; the story is told in
 * src/lib/directory/sample-services.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { makeSampleServiceSummary, SAMPLE_SERVICE_LOCATIONS } from '../src/lib/directory/sample-services.ts';
import { ProbeSummarySchema } from '../src/lib/schemas.ts';

mkdirSync('content/probe-sample', { recursive: true });
for (const [i, location] of (Object.keys(SAMPLE_SERVICE_LOCATIONS) as (keyof typeof SAMPLE_SERVICE_LOCATIONS)[]).entries()) {
  const summary = ProbeSummarySchema.parse(makeSampleServiceSummary(location, 2000 + i));
  const text = `${JSON.stringify(summary)}\n`;
  writeFileSync(`content/probe-sample/services-${location}.json`, text);
  console.log(`content/probe-sample/services-${location}.json: ${text.length} bytes`);
}
