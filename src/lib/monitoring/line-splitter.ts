/**
 * Splits a byte stream into lines without ever holding more than one line of
 * at most `maxBytes`. A raw log with a 700 MB line and no newline once
 * crashed the build (`RangeError: Invalid string length`, issue 10): here
 * such a line is dropped while it streams past and reported as `tooLong`,
 * and reading goes on at the next newline.
 */

/** One line of input: its text, or the fact that it was too long to keep. */
export type SplitLine =
  | { text: string; /** The input ended without a newline after it (a torn last line). */ torn: boolean }
  | { tooLong: true; /** Bytes of the line (at least the cap plus one). */ bytes: number };

const NEWLINE = 0x0a;

export class LineSplitter {
  private readonly maxBytes: number;
  private parts: Uint8Array[] = [];
  private pending = 0;
  /** Bytes of an over-long line dropped so far; -1 while not dropping. */
  private dropped = -1;
  private readonly decoder = new TextDecoder('utf-8');

  /** @param maxBytes longest line kept, newline excluded, e.g. `262144` */
  constructor(maxBytes: number) {
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
    this.maxBytes = maxBytes;
  }

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Uint8Array): SplitLine[] {
    const out: SplitLine[] = [];
    let from = 0;
    while (from <= chunk.length) {
      const nl = chunk.indexOf(NEWLINE, from);
      const end = nl === -1 ? chunk.length : nl;
      // Fast path, nearly every line: it lies whole inside this chunk, so it
      // is decoded straight from the chunk with no copy.
      if (nl !== -1 && this.pending === 0 && this.dropped < 0 && end - from <= this.maxBytes) {
        out.push({ text: this.decoder.decode(chunk.subarray(from, end)), torn: false });
        from = nl + 1;
        continue;
      }
      this.take(chunk.subarray(from, end));
      if (nl === -1) break;
      out.push(this.finishLine(false));
      from = nl + 1;
    }
    return out;
  }

  /** Ends the input; returns the last line when it had no newline. */
  end(): SplitLine[] {
    if (this.dropped >= 0 || this.pending > 0) return [this.finishLine(true)];
    return [];
  }

  private take(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.dropped >= 0) {
      this.dropped += bytes.length;
      return;
    }
    if (this.pending + bytes.length > this.maxBytes) {
      this.dropped = this.pending + bytes.length;
      this.parts = [];
      this.pending = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.parts.push(bytes.slice());
    this.pending += bytes.length;
  }

  private finishLine(torn: boolean): SplitLine {
    if (this.dropped >= 0) {
      const bytes = this.dropped;
      this.dropped = -1;
      return { tooLong: true, bytes };
    }
    const joined = new Uint8Array(this.pending);
    let at = 0;
    for (const p of this.parts) {
      joined.set(p, at);
      at += p.length;
    }
    this.parts = [];
    this.pending = 0;
    return { text: this.decoder.decode(joined), torn };
  }
}
