import { joinFrames } from './frame-slabs.js';
import type { PublishQueue } from './publish-queue.js';

/**
 * Adds to the publish script's arguments the stream entries of `count` waiting items from `start`, and
 * returns their `at` list (publish-script.ts, ARGV[7]): consecutive events packed up to `packLimit` per
 * entry (stream-entry.ts), a gap marker alone. The same items always give the same entries, so a batch
 * sent again is the same batch.
 *
 * Buffers, not strings: ioredis joins a call's string arguments into one string, and one name outside
 * Latin-1 makes all of it two-byte, which encodes to UTF-8 about five times slower (measured). The queue
 * holds each event's frame as UTF-8 already, laid out so that a burst's frames need no copy (frame-slabs.ts).
 */
export function appendStreamEntries(
  args: (string | number | Buffer)[],
  queue: PublishQueue,
  start: number,
  count: number,
  packLimit: number,
): string {
  const times: string[] = [];
  const end = start + count;
  for (let i = start; i < end; ) {
    const first = queue.at(i);
    if (first.kind === 'gap') {
      args.push('');
      times.push(String(first.at));
      i++;
      continue;
    }
    let last = i + 1;
    while (last < end && last - i < packLimit && queue.at(last).kind === 'event') last++;
    if (last - i === 1) {
      args.push(first.frame);
      times.push(String(first.at));
    } else {
      const parts: Buffer[] = [];
      const at: number[] = [];
      for (let j = i; j < last; j++) {
        const item = queue.at(j);
        parts.push(item.frame);
        at.push(item.at);
      }
      args.push(joinFrames(parts));
      times.push(at.join(','));
    }
    i = last;
  }
  return times.join(';');
}
