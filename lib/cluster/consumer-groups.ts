import type { Redis } from 'ioredis';
import { groupInfoOf, isBusyGroupError } from './consumers/redis-replies.js';

const LAG_TIMEOUT = 1_000;

/**
 * Entries a consumer group has not handled yet: not delivered (Redis's `lag`) plus delivered and not
 * acknowledged (pending). 0 when the group does not exist (no handler of that kind anywhere yet).
 * Rejects when Redis does not answer within a second (a client queues commands while Redis is away).
 */
export async function groupLag(redis: Redis, stream: string, group: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await Promise.race([
      redis.call('XINFO', 'GROUPS', stream).catch((error: unknown) => {
        // No stream yet: nothing published, nothing behind.
        if (error instanceof Error && /no such key/i.test(error.message)) return [];
        throw error;
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${LAG_TIMEOUT} ms`)),
          LAG_TIMEOUT,
        );
      }),
    ]);
    const info = groupInfoOf(reply, group);
    return info === undefined ? 0 : (info.lag ?? 0) + info.pending;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates a consumer group at the stream's end (`$`) unless it exists. Done at each replica's start for
 * the groups it has handlers for, so events relayed before its consumer first reads are not skipped (a
 * group created later would start after them).
 */
export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.call('XGROUP', 'CREATE', stream, group, '$', 'MKSTREAM');
  } catch (error) {
    if (!isBusyGroupError(error)) throw error;
  }
}
