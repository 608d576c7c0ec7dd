/**
 * The bundled sample site must never go public (issue 25): `npm install &&
 * npm run build` shows it, but a first publish used to put the sample
 * incidents and six sample services on the real page, and the probe pinged
 * the sample services. Pure: the caller lists the files and reads the
 * configuration; this says what makes a tree a sample and what to remove.
 */

/** The marker file the sample ships with; `npm run site:empty` removes it with the samples. */
export const SAMPLE_MARKER = 'content/SAMPLE.md';

/** Domains of the sample directory end with this (DNS names marked as samples, issue 22). */
export const SAMPLE_DOMAIN_SUFFIX = '.sample.jabber.org';

export interface SampleInputs {
  /** Every file of the tree, relative and with `/`, e.g. `content/services/im.sample.jabber.org.md`. */
  files: readonly string[];
  /** `probes.sources` of content/site.yaml, as written (name and whether marked `sample: true`). */
  probeSources: readonly { name: string; sample?: boolean }[];
  /** `sources` of content/services/directory.yaml, as written. */
  directorySources: readonly { location: string; sample?: boolean }[];
}

/**
 * Why the tree is still the sample, one line each (empty when it is not).
 * @example sampleReasons({ files: ['content/SAMPLE.md'], probeSources: [], directorySources: [] })
 * // → ['content/SAMPLE.md is there: this is the bundled sample site']
 */
export function sampleReasons(input: SampleInputs): string[] {
  const reasons: string[] = [];
  if (input.files.includes(SAMPLE_MARKER)) reasons.push(`${SAMPLE_MARKER} is there: this is the bundled sample site`);
  const sampleSources = input.probeSources.filter((s) => s.sample).map((s) => s.name);
  if (sampleSources.length > 0) reasons.push(`content/site.yaml: probes.sources ${sampleSources.join(', ')} ${sampleSources.length === 1 ? 'is' : 'are'} sample monitoring data (sample: true)`);
  const sampleDirectory = input.directorySources.filter((s) => s.sample).map((s) => s.location);
  if (sampleDirectory.length > 0) reasons.push(`content/services/directory.yaml: sources ${sampleDirectory.join(', ')} ${sampleDirectory.length === 1 ? 'is' : 'are'} sample probe data (sample: true)`);
  const services = input.files.filter((f) => f.startsWith('content/services/') && f.endsWith(`${SAMPLE_DOMAIN_SUFFIX}.md`));
  if (services.length > 0) reasons.push(`content/services/ holds ${services.length} sample service${services.length === 1 ? '' : 's'} (*${SAMPLE_DOMAIN_SUFFIX})`);
  return reasons;
}

/** The refusal publish prints, with the way to an empty site. */
export function sampleRefusal(reasons: readonly string[]): string {
  return [
    'Not published: this is still the sample site, and the sample must never go public.',
    ...reasons.map((r) => `  ${r}`),
    'Start from an empty site: npm run site:empty (removes the sample incidents, updates, maintenance, services and',
    'monitoring data, and leaves valid empty content), then add your probe sources to content/site.yaml, commit and push.',
    'To publish the sample anyway (a demo, a test): --allow-sample.',
  ].join('\n');
}

/** Files `npm run site:empty` removes: every sample entry; templates (`_template.md`) stay. */
export function sampleFilesToRemove(files: readonly string[]): string[] {
  return files.filter((f) => {
    if (f === SAMPLE_MARKER) return true;
    if (f.startsWith('content/probe-sample/')) return true;
    const name = f.slice(f.lastIndexOf('/') + 1);
    if (name.startsWith('_')) return false;
    if (/^incidents\/.+\.md$/.test(f)) return true;
    if (/^content\/(updates|maintenance)\/.+\.md$/.test(f)) return true;
    return f.startsWith('content/services/') && f.endsWith(`${SAMPLE_DOMAIN_SUFFIX}.md`);
  });
}

/**
 * A YAML file with every list item marked `sample: true` removed, and a
 * list left empty written `[]`, keeping comments and everything else as it is.
 * Items are one-line flow mappings (`- { name: ams, path: …, sample: true }`), as the sample writes them.
 */
export function withoutSampleItems(yaml: string, listKey: string): string {
  const lines = yaml.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = new RegExp(`^(\\s*)${listKey}:\\s*$`).exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const items: string[] = [];
    let j = i + 1;
    while (j < lines.length && /^\s*-\s/.test(lines[j]!) && lines[j]!.search(/\S/) > m[1]!.length) items.push(lines[j++]!);
    const kept = items.filter((item) => !/\bsample:\s*true\b/.test(item));
    out.push(kept.length === 0 ? `${m[1]}${listKey}: []` : line);
    for (const item of kept) out.push(item);
    i = j - 1;
  }
  return out.join('\n');
}
