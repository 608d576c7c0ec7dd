/** Reads what `sample-site.ts` judges from a tree on disk (issue 25). */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sampleReasons, type SampleInputs } from './sample-site.ts';

/** Every regular file under `content/` and `incidents/`, relative with `/`. */
export function contentFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const full = join(root, rel);
    if (!existsSync(full)) return;
    const st = lstatSync(full);
    if (st.isDirectory()) for (const name of readdirSync(full).sort()) walk(`${rel}/${name}`);
    else if (st.isFile()) out.push(rel);
  };
  walk('content');
  walk('incidents');
  return out;
}

/** A list of `{…}` items from a YAML file, or [] when it cannot be read (the content check names that). */
function listIn(file: string, path: string[]): Record<string, unknown>[] {
  try {
    let value: unknown = parse(readFileSync(file, 'utf8'));
    for (const key of path) value = (value as Record<string, unknown> | null)?.[key];
    return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object') : [];
  } catch {
    return [];
  }
}

export function readSampleInputs(root: string): SampleInputs {
  return {
    files: contentFiles(root),
    probeSources: listIn(join(root, 'content/site.yaml'), ['probes', 'sources']).map((s) => ({ name: String(s.name), sample: s.sample === true })),
    directorySources: listIn(join(root, 'content/services/directory.yaml'), ['sources']).map((s) => ({ location: String(s.location), sample: s.sample === true })),
  };
}

/** Why the tree at `root` is still the sample (empty when it is not). */
export function sampleReasonsAt(root: string): string[] {
  return sampleReasons(readSampleInputs(root));
}
