/**
 * The validated content of one exact tree of files, kept for the next
 * build (issue 28). Every minute's publish reads the content twice (the
 * change key's clock facts, then the build): at 50,000 incidents that is
 * two loads of about ten seconds each, for content that did not change.
 * `npm run publish` names the tree by a key (the SHA-256 of every content
 * file's path and bytes, and of the code that validates them), so a
 * snapshot is used only for the very tree and code it was made from; any
 * other key, an unreadable file or another format means a normal load.
 * V8's serializer keeps what validation produced (Dates, Maps, NaN) as is.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import type { SiteContent } from './content.ts';

/** Bumped when the shape of `SiteContent` changes without the key noticing (it includes the code, so this is a second lock). */
const SNAPSHOT_VERSION = 1;

/** The content the snapshot holds when it was made under `key`, else undefined. */
export function readContentSnapshot(file: string, key: string): SiteContent | undefined {
  try {
    const held = deserialize(readFileSync(file)) as { version?: number; key?: string; content?: SiteContent };
    return held.version === SNAPSHOT_VERSION && held.key === key ? held.content : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `content` (validated, every entry, not only those published yet) under `key`. */
export function writeContentSnapshot(file: string, key: string, content: SiteContent): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, serialize({ version: SNAPSHOT_VERSION, key, content }));
}
