const SLAB_SIZE = 256 * 1024;
const LINE_BREAK = 0x0a;

/**
 * Encodes the leader's event JSON to UTF-8 into shared slabs, each event followed by a line break, so the
 * events of one burst lie one after another and a packed entry (JSON lines, stream-entry.ts) is a view of
 * their bytes rather than a copy. One allocation per slab instead of one per 8 KiB as Buffer.from's pool
 * does: under a storm those allocations cost the leader more than the encoding itself (measured).
 * A slab is freed once none of its events waits any more.
 */
export class JsonSlabs {
  private slab = Buffer.alloc(0);
  private used = 0;

  /** The UTF-8 bytes of `json` (the line break after them is not part of the view). */
  encode(json: string): Buffer {
    const most = json.length * 3 + 1;
    if (most > SLAB_SIZE / 4) return Buffer.from(json);
    if (this.used + most > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.used = 0;
    }
    const start = this.used;
    const written = this.slab.write(json, start, 'utf8');
    this.slab[start + written] = LINE_BREAK;
    this.used = start + written + 1;
    return this.slab.subarray(start, start + written);
  }
}

/** The JSON lines of `parts` in one buffer: a view when they lie one after another in one slab. */
export function jsonLines(parts: readonly Buffer[]): Buffer {
  const first = parts[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (part.buffer !== first.buffer || part.byteOffset !== end + 1) return joinLines(parts);
    end = part.byteOffset + part.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

const LINE_BREAK_BYTES = Buffer.from([LINE_BREAK]);

function joinLines(parts: readonly Buffer[]): Buffer {
  const pieces: Buffer[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) pieces.push(LINE_BREAK_BYTES);
    pieces.push(parts[i]);
  }
  return Buffer.concat(pieces);
}
