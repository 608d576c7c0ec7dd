/**
 * `npm run new:service -- <domain>`: writes content/services/<domain>.md
 * with every field explained (src/lib/directory/service-template.ts), for
 * an operator applying to the directory. Never overwrites a file.
 * Exit code 0 when written, 2 on a usage error or an existing file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceTemplate } from '../src/lib/directory/service-template.ts';
import { ServiceDomainSchema } from '../src/lib/schemas.ts';
import { toUtcDate } from '../src/lib/shared/time.ts';

const [domain, ...rest] = process.argv.slice(2);
if (!domain || rest.length > 0 || domain === '--help') {
  console.error('Usage: npm run new:service -- <domain>\n\nWrites content/services/<domain>.md with every field explained.');
  process.exit(domain === '--help' ? 0 : 2);
}
const parsed = ServiceDomainSchema.safeParse(domain.toLowerCase());
if (!parsed.success) {
  // The schema's own words: an IP address or a special-use name (example.org, .test) says which (issue 22).
  const message = parsed.error.issues[0]?.message ?? 'is not a domain name';
  console.error(message.startsWith('"') ? message : `"${domain}" ${message}`);
  process.exit(2);
}
const root = process.env.STATUS_CONTENT_ROOT || process.cwd();
const file = join('content', 'services', `${parsed.data}.md`);
if (existsSync(join(root, file))) {
  console.error(`${file} exists already; edit it instead`);
  process.exit(2);
}
mkdirSync(join(root, 'content', 'services'), { recursive: true });
writeFileSync(join(root, file), serviceTemplate(parsed.data, toUtcDate(new Date())), { flag: 'wx' });
console.log(`Wrote ${file}. Fill in every field, run "npm run check", then "npm run policy -- ${parsed.data}", and open a pull request with the file.`);
