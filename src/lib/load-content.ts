/**
 * Reads and validates all content under a project root. Shared by the build
 * (`src/data.ts`) and `npm run check`, so both apply exactly the same rules.
 */
import { buildContent, type ContentResult } from './content.ts';
import { readSourceFiles } from './read-source-files.ts';

/** @param root project root, e.g. `process.cwd()` */
export function loadContent(root: string): ContentResult {
  return buildContent(readSourceFiles(root));
}
