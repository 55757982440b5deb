import type { Redis } from 'ioredis';
import { type AmiStreamEvent, decodeStreamEntry } from '../../../lib/cluster/stream-entry.js';

/** Every event of a stream (those of a packed entry one by one), decoded, in stream order. */
export async function readStream(redis: Redis, key: string): Promise<AmiStreamEvent[]> {
  const entries = (await redis.xrange(key, '-', '+')) as [string, string[]][];
  return entries.flatMap(([id, fields]) => {
    const decoded = decodeStreamEntry(id, fields);
    if (decoded === null) throw new Error(`stream entry ${id} is not an event entry`);
    return decoded;
  });
}

/** Events per fencing epoch. */
export function countByEpoch(events: readonly AmiStreamEvent[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { epoch } of events) counts.set(epoch, (counts.get(epoch) ?? 0) + 1);
  return counts;
}

/** Polls `probe` until it returns something other than undefined; fails after `timeout` ms. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeout = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
