import { afterEach } from '@jest/globals';
import { Redis } from 'ioredis';
import type { AmiClusterKeys } from '../../../lib/cluster/cluster-keys.js';
import { EventFrameReader } from '../../../lib/cluster/event-frames.js';
import { encodePackedEntry, encodeStreamEntry, eventIdOf } from '../../../lib/cluster/stream-entry.js';
import { freshKeys } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';
import { waitFor } from '../support/stream-reader.js';

/** A client on the test Redis, quit by `cleanup`. */
export function testRedis(cleanup: Cleanup): Redis {
  const redis = new Redis(redisTarget.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  cleanup.add(() => redis.quit());
  return redis;
}

export { freshKeys } from '../support/cluster-fixture.js';

/**
 * A client on the test Redis and the keys of a fresh group; `cleanup` quits the one and deletes the
 * others' stream and dead letters.
 */
export function testStream(cleanup: Cleanup): { redis: Redis; keys: AmiClusterKeys } {
  const redis = testRedis(cleanup);
  const keys = freshKeys();
  cleanup.add(() => redis.del(keys.events, keys.deadLetters));
  return { redis, keys };
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

/**
 * Appends one packed entry per size (an entry of 1 packs one event too), events numbered on from `from`
 * (header `Seq`), in one pipeline. Returns the entries' IDs and, in stream order, the event IDs.
 */
export async function appendPackedEntries(
  redis: Redis,
  stream: string,
  sizes: readonly number[],
  from = 0,
): Promise<{ entryIds: string[]; eventIds: string[] }> {
  const pipeline = redis.pipeline();
  let seq = from;
  for (const size of sizes) {
    const events = Array.from({ length: size }, (_, i) => ({ Event: 'UserEvent', Seq: String(seq + i) }));
    seq += size;
    const now = Date.now();
    pipeline.call(
      'XADD',
      stream,
      '*',
      ...encodePackedEntry(
        events,
        1,
        events.map((_, i) => now + i),
      ),
    );
  }
  const entryIds: string[] = [];
  for (const [error, id] of (await pipeline.exec()) ?? []) {
    if (error) throw error;
    entryIds.push(String(id));
  }
  const eventIds = entryIds.flatMap((id, i) =>
    Array.from({ length: sizes[i] }, (_, index) => eventIdOf(id, index, sizes[i])),
  );
  return { entryIds, eventIds };
}

/** Polls until `check` returns true; rejects naming `what` after `timeoutMs`. */
/** The one event a dead letter holds (its `frames` field). */
export function letterEvent(letter: Record<string, string>): object {
  const events = new EventFrameReader().read(letter.frames ?? '');
  if (events === null || events.length !== 1) throw new Error(`a dead letter holds ${events?.length} events`);
  return { ...events[0] };
}

export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(what, async () => ((await check()) ? true : undefined), timeoutMs);
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

/** A Cleanup run after each test of the file. */
export function cleanupAfterEach(): Cleanup {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());
  return cleanup;
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
