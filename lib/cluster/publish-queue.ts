/** One item waiting for the stream. */
export interface PendingItem {
  /** An event, or a gap marker (its `from` is filled in by the script, in Redis). */
  readonly kind: 'event' | 'gap';
  /** The event's AMI frame as UTF-8 (empty for a gap marker): off the V8 heap, so a backlog costs the GC little. */
  readonly frame: Buffer;
  readonly at: number;
  /** The term (count of elections) a gap marker was queued in; a later term's marker supersedes it. */
  readonly term: number;
}

/**
 * The leader's waiting items, oldest first, with the bytes of frames they hold. Removing from the front
 * moves an index; the array is compacted now and then, so a long backlog costs no copy per batch.
 */
export class PublishQueue {
  private items: PendingItem[] = [];
  private head = 0;
  private size = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes of event frames waiting. */
  get bytes(): number {
    return this.size;
  }

  push(item: PendingItem): void {
    this.items.push(item);
    this.size += item.frame.length;
  }

  /** The waiting item at `index` (0: the oldest). */
  at(index: number): PendingItem {
    return this.items[this.head + index];
  }

  /** Forgets the first `count` items. */
  removeFirst(count: number): void {
    const end = Math.min(this.items.length, this.head + count);
    for (let i = this.head; i < end; i++) this.size -= this.items[i].frame.length;
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4_096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Forgets every item after the first `count`; returns how many went. */
  keepFirst(count: number): number {
    const end = this.head + Math.max(0, count);
    if (end >= this.items.length) return 0;
    for (let i = end; i < this.items.length; i++) this.size -= this.items[i].frame.length;
    const removed = this.items.length - end;
    this.items.length = end;
    return removed;
  }

  /** Forgets the items `keep` refuses (the queue is compacted). */
  filter(keep: (item: PendingItem) => boolean): void {
    const kept = this.items.slice(this.head).filter(keep);
    this.items = kept;
    this.head = 0;
    this.size = kept.reduce((sum, item) => sum + item.frame.length, 0);
  }

  /** How many waiting items `test` accepts. */
  count(test: (item: PendingItem) => boolean): number {
    let count = 0;
    for (let i = this.head; i < this.items.length; i++) if (test(this.items[i])) count++;
    return count;
  }
}
