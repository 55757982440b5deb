import { eventFrame } from '../../../lib/cluster/event-frames.js';
import { appendStreamEntries } from '../../../lib/cluster/publish-entries.js';
import { type PendingItem, PublishQueue } from '../../../lib/cluster/publish-queue.js';

const text = (seq: number) => eventFrame({ Event: 'Tick', Seq: String(seq) });
const event = (seq: number, term = 1): PendingItem => ({
  kind: 'event',
  frame: Buffer.from(text(seq)),
  at: 1_000 + seq,
  term,
});
const gap = (at: number, term = 1): PendingItem => ({ kind: 'gap', frame: Buffer.alloc(0), at, term });

function queueOf(items: PendingItem[]): PublishQueue {
  const queue = new PublishQueue();
  for (const item of items) queue.push(item);
  return queue;
}

describe('PublishQueue', () => {
  it('counts what waits and its bytes through removals, truncation and filtering', () => {
    const items = [event(1), gap(5), event(2), event(3)];
    const queue = queueOf(items);
    const bytes = (list: PendingItem[]) => list.reduce((sum, item) => sum + item.frame.length, 0);
    expect([queue.length, queue.bytes]).toEqual([4, bytes(items)]);
    queue.removeFirst(1);
    expect([queue.length, queue.bytes, queue.at(0)]).toEqual([3, bytes(items.slice(1)), items[1]]);
    expect(queue.count((item) => item.kind === 'event')).toBe(2);
    queue.filter((item) => item.kind === 'event');
    expect([queue.length, queue.at(0), queue.at(1)]).toEqual([2, items[2], items[3]]);
    expect(queue.keepFirst(1)).toBe(1);
    expect([queue.length, queue.bytes]).toEqual([1, bytes([items[2]])]);
    expect(queue.keepFirst(5)).toBe(0);
    queue.removeFirst(1);
    expect([queue.length, queue.bytes]).toEqual([0, 0]);
  });

  it('keeps its order across the compaction of a long backlog', () => {
    const queue = queueOf(Array.from({ length: 10_000 }, (_, i) => event(i)));
    for (let removed = 0; removed < 9_000; removed += 500) queue.removeFirst(500);
    expect(queue.length).toBe(1_000);
    expect(queue.at(0)).toEqual(event(9_000));
    expect(queue.at(999)).toEqual(event(9_999));
  });
});

describe('appendStreamEntries', () => {
  it('packs consecutive events up to packLimit, a gap marker alone, from `start`, as UTF-8 Buffers', () => {
    const nameFrame = eventFrame({ Event: 'Newchannel', CallerIDName: 'Nowak Łukasz' });
    const named: PendingItem = { kind: 'event', frame: Buffer.from(nameFrame), at: 1_100, term: 1 };
    const queue = queueOf([event(0), event(1), event(2), event(3), named, gap(2_000), event(4)]);
    const args: (string | number | Buffer)[] = [];
    const times = appendStreamEntries(args, queue, 1, 6, 2);
    expect(times).toBe('1001,1002;1003,1100;2000;1004');
    expect(args.map((arg) => (Buffer.isBuffer(arg) ? arg.toString('utf8') : arg))).toEqual([
      text(1) + text(2),
      text(3) + nameFrame,
      '',
      text(4),
    ]);
    expect(args.every((arg) => arg === '' || Buffer.isBuffer(arg))).toBe(true);
    // The same items give the same entries: a batch sent again is the same batch.
    const again: (string | number | Buffer)[] = [];
    expect(appendStreamEntries(again, queue, 1, 6, 2)).toBe(times);
    expect(again).toEqual(args);
  });
});
