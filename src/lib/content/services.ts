/**
 * The IM-service directory's files: `content/services/directory.yaml` and
 * one `content/services/<domain>.md` per service (issue 17).
 */
import { parseYaml } from './frontmatter.ts';
import { renderMarkdown } from './markdown.ts';
import type { Problem } from './problems.ts';
import { guarded, readEntry, tooLarge, validate, type SourceFile } from './entry-loader.ts';
import { countryName, DirectoryConfigSchema, ServiceFrontmatterSchema, type DirectoryConfig, type ServiceFrontmatter } from '../schemas.ts';

/** One service of the IM-service directory, as declared in `content/services/<domain>.md`. */
export interface Service extends Omit<ServiceFrontmatter, 'location'> {
  /** e.g. `content/services/example.org.md` */
  file: string;
  location: { country: string; countryName: string; city: string };
  /** The notes below the frontmatter, as written and as HTML; empty when there are none. */
  notesMarkdown: string;
  notesHtml: string;
}

/** The IM-service directory: its settings and every service file, sorted by domain. */
export interface Directory {
  config: DirectoryConfig;
  services: Service[];
}

const SERVICE_PATH = /^content\/services\/([a-z0-9.-]+)\.md$/;

/**
 * The IM-service directory (issue 17): `content/services/directory.yaml`
 * (optional, the defaults otherwise) and one `<domain>.md` per service, with
 * the same reader, problems and line numbers as every other content file.
 */
export function buildDirectory(files: { services?: SourceFile[]; directory?: SourceFile }, problems: Problem[]): Directory | undefined {
  let config: DirectoryConfig | undefined = DirectoryConfigSchema.parse({});
  if (files.directory) {
    const big = tooLarge(files.directory);
    const parsed = big ? { problems: [big] } : guarded(files.directory.path, () => parseYaml(files.directory!.path, files.directory!.text));
    if ('problems' in parsed) {
      problems.push(...parsed.problems); // bounded: the problems of one file
      config = undefined;
    } else config = validate(DirectoryConfigSchema, files.directory.path, parsed.data ?? {}, parsed.locate, problems);
  }
  const services: Service[] = [];
  for (const file of files.services ?? []) {
    const match = SERVICE_PATH.exec(file.path);
    if (!match) {
      problems.push({ file: file.path, message: 'is not named like content/services/<domain>.md, e.g. content/services/example.org.md (lower-case). Rename it after the service\'s domain' });
      continue;
    }
    const parsed = readEntry(file, problems);
    if (!parsed) continue;
    const data = validate(ServiceFrontmatterSchema, file.path, parsed.data, parsed.locate, problems);
    if (!data) continue;
    if (data.domain !== match[1]) {
      problems.push({ file: file.path, line: parsed.locate(['domain']), field: 'domain', message: `is ${data.domain} but the file is named after ${match[1]}. Name the file content/services/${data.domain}.md or fix the domain` });
      continue;
    }
    if (data.withdrawn && data.withdrawn < data.applied) {
      problems.push({ file: file.path, line: parsed.locate(['withdrawn']), field: 'withdrawn', message: `is ${data.withdrawn}, before the application (${data.applied}). Fix one of the dates` });
      continue;
    }
    const { location, ...rest } = data;
    services.push({
      ...rest,
      file: file.path,
      location: { ...location, countryName: countryName(location.country) },
      notesMarkdown: parsed.body.trim(),
      // The notes sit under the page's h2 "Notes", so their headings start at h3.
      notesHtml: parsed.body.trim() ? renderMarkdown(parsed.body, 1) : '',
    });
  }
  services.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return config ? { config, services } : undefined;
}
