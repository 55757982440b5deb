import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type AmiClusterKeys, clusterKeys } from '../../../lib/cluster/cluster-keys.js';
import { encodeStreamEntry } from '../../../lib/cluster/stream-entry.js';
import { redisTarget } from '../support/redis-server.js';

/** A client on the test Redis; the test quits it. */
export function testRedis(): Redis {
  const redis = new Redis(redisTarget.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  return redis;
}

/** Keys no other test uses. */
export function freshKeys(): AmiClusterKeys {
  return clusterKeys(`test-${randomBytes(4).toString('hex')}`, 'pbx');
}

/** Appends events `from` .. `from + count - 1` (header `Seq`) the way the publisher does, in one pipeline. */
export async function appendEvents(redis: Redis, stream: string, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1_000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(count, start + 1_000); i += 1) {
      pipeline.call(
        'XADD',
        stream,
        '*',
        ...encodeStreamEntry({ Event: 'UserEvent', Seq: String(from + i) }, 1, Date.now()),
      );
    }
    for (const [error, id] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      ids.push(String(id));
    }
  }
  return ids;
}

/** Polls until `check` returns true; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Pending entries of a group (XPENDING summary count). */
export async function pendingCount(redis: Redis, stream: string, group: string): Promise<number> {
  const summary = (await redis.call('XPENDING', stream, group)) as unknown[];
  return Number(summary[0]);
}

/** The entries of a stream as field records. */
export async function readAll(
  redis: Redis,
  stream: string,
): Promise<Array<{ id: string } & Record<string, string>>> {
  const entries = (await redis.call('XRANGE', stream, '-', '+')) as [string, string[]][];
  return entries.map(([id, fields]) => {
    const record: Record<string, string> = { id };
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]] = fields[i + 1];
    return record as { id: string } & Record<string, string>;
  });
}

/** A list of things to stop at the end of a test, whatever happened. */
export class Cleanup {
  private readonly tasks: Array<() => unknown> = [];

  add(task: () => unknown): void {
    this.tasks.push(task);
  }

  async run(): Promise<void> {
    for (const task of this.tasks.splice(0).reverse()) {
      try {
        await task();
      } catch {
        // cleanup goes on
      }
    }
  }
}
