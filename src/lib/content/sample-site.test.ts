import { describe, expect, test } from 'vitest';
import { sampleFilesToRemove, sampleReasons, sampleRefusal, withoutSampleItems } from './sample-site.ts';

describe('the sample never goes public', () => {
  test('the shipped sample is recognised, each reason on its own line', () => {
    const reasons = sampleReasons({
      files: ['content/SAMPLE.md', 'content/services/im.sample.jabber.org.md', 'content/services/_template.md', 'incidents/2026/x.md'],
      probeSources: [{ name: 'ams', sample: true }, { name: 'fra', sample: true }, { name: 'live' }],
      directorySources: [{ location: 'ams', sample: true }],
    });
    expect(sampleRefusal(reasons)).toMatchInlineSnapshot(`
      "Not published: this is still the sample site, and the sample must never go public.
        content/SAMPLE.md is there: this is the bundled sample site
        content/site.yaml: probes.sources ams, fra are sample monitoring data (sample: true)
        content/services/directory.yaml: sources ams is sample probe data (sample: true)
        content/services/ holds 1 sample service (*.sample.jabber.org)
      Start from an empty site: npm run site:empty (removes the sample incidents, updates, maintenance, services and
      monitoring data, and leaves valid empty content), then add your probe sources to content/site.yaml, commit and push.
      To publish the sample anyway (a demo, a test): --allow-sample."
    `);
  });

  test('a real site is not a sample', () => {
    expect(sampleReasons({ files: ['content/site.yaml', 'incidents/2026/2026-12-01-outage.md', 'content/services/conversations.im.md'], probeSources: [{ name: 'ams' }], directorySources: [] })).toEqual([]);
  });

  test('emptying removes every sample entry and keeps the templates', () => {
    expect(
      sampleFilesToRemove(['content/SAMPLE.md', 'content/site.yaml', 'content/probe-sample/ams.json', 'incidents/_template.md', 'incidents/2026/a.md', 'content/updates/2026-11-08.md', 'content/maintenance/_template.md', 'content/maintenance/m.md', 'content/services/_template.md', 'content/services/directory.yaml', 'content/services/im.sample.jabber.org.md', 'content/services/conversations.im.md']),
    ).toEqual(['content/SAMPLE.md', 'content/probe-sample/ams.json', 'incidents/2026/a.md', 'content/updates/2026-11-08.md', 'content/maintenance/m.md', 'content/services/im.sample.jabber.org.md']);
  });

  test('sample list items are removed from YAML, comments kept, an emptied list written []', () => {
    const yaml = '  # Where the build gets monitoring data.\n  sources:\n    - { name: ams, path: content/probe-sample/ams.json, sample: true }\n    - { name: nyc, url: "https://nyc/summary.json" }\n  components:\n';
    expect(withoutSampleItems(yaml, 'sources')).toBe('  # Where the build gets monitoring data.\n  sources:\n    - { name: nyc, url: "https://nyc/summary.json" }\n  components:\n');
    expect(withoutSampleItems('sources:\n  - { location: ams, path: x, sample: true }\n\nfederation: []\n', 'sources')).toBe('sources: []\n\nfederation: []\n');
  });
});
