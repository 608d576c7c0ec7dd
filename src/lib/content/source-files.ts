/**
 * What the content reader accepts, as pure rules: which names in a content
 * folder are content, which are documented exceptions, and how file bytes
 * become text. `load-content-io.ts` applies them while it walks the disk.
 */
import type { Problem } from './problems.ts';

/**
 * How the reader treats a name found in a content folder:
 * - `content`: read and validated (`*.md`);
 * - `ignored`: a documented exception, never read: author templates and
 *   drafts (`_template.md`, `_draft-outage.md`), `README.md` and `.gitkeep`;
 * - otherwise a problem, so nothing is skipped while the check says "valid".
 * @param name e.g. `2026-11-09-login-failures.md`
 */
export function classifyContentName(name: string): 'content' | 'ignored' | { problem: string } {
  if (name === 'README.md' || name === '.gitkeep' || /^_.*\.md$/.test(name)) return 'ignored';
  if (/^[^.].*\.md$/.test(name)) return 'content';
  const markdownLike = /^(.*)\.(md|markdown|mdown|mkd)(\.[a-z0-9]+)?$/i.exec(name);
  if (markdownLike && !name.startsWith('.')) {
    return { problem: `is not read: content files end in lower-case ".md". Rename it to "${markdownLike[1]}.md"` };
  }
  return { problem: 'is not a content file and would be ignored. Only .md files belong here: move it out of the content folders or delete it' };
}

/** Words for a file system entry that is not a regular file, with the fix (shared with every reader). */
export { describeFileType } from '../shared/file-type.ts';

/**
 * Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    if (i + need >= bytes.length) return i; // truncated sequence at the end
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Turns a file's bytes into text: UTF-8 only (a Latin-1 "ü" must not be
 * published as U+FFFD), without a byte-order mark.
 * @param path for the problem, e.g. `content/updates/2026-11-20.md`
 */
export function decodeSourceText(path: string, bytes: Uint8Array): { text: string } | { problem: Problem } {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    return {
      problem: {
        file: path,
        line,
        message: `is not valid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad}). Save the file as UTF-8 in your editor`,
      },
    };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}
