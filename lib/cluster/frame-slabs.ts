const SLAB_SIZE = 256 * 1024;

/**
 * Encodes the leader's event frames to UTF-8 into shared slabs, one after another, so the events of one
 * burst lie side by side and a packed entry is a view of their bytes rather than a copy. One allocation per
 * slab instead of one per 8 KiB as Buffer.from's pool does: under a storm those allocations cost the
 * leader more than the encoding itself (measured). A slab is freed once none of its events waits any more.
 */
export class FrameSlabs {
  private slab = Buffer.alloc(0);
  private used = 0;

  /** The UTF-8 bytes of `text`. */
  encode(text: string): Buffer {
    const most = text.length * 3;
    if (most > SLAB_SIZE / 4) return Buffer.from(text);
    if (this.used + most > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.used = 0;
    }
    const start = this.used;
    this.used += this.slab.write(text, start, 'utf8');
    return this.slab.subarray(start, this.used);
  }
}

/** `parts` in one buffer: a view when they lie one after another in one slab, else a copy. */
export function joinFrames(parts: readonly Buffer[]): Buffer {
  const first = parts[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (part.buffer !== first.buffer || part.byteOffset !== end) return Buffer.concat(parts);
    end = part.byteOffset + part.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
