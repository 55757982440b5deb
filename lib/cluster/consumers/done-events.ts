import type { Redis } from 'ioredis';

/**
 * The done set of a packed entry that stays pending: a Redis set of the indices of its events already
 * handled (or dead-lettered), so a redelivery of the entry skips them. Written only when an entry is left
 * pending with some of its events done (a handler failed beside others that succeeded, or a leader stopped
 * mid-entry); read only when pending entries are delivered again; deleted with the entry's acknowledgement.
 */
export function doneEventsKey(stream: string, entryId: string): string {
  return `${stream}:done:${entryId}`;
}

/** The least time a done set is kept, ms: it is deleted with the entry's acknowledgement anyway. */
export const DONE_EVENTS_MIN_TTL = 3_600_000;

/** A `once` consumer's done sets outlive the redeliveries of their entries. */
export function doneEventsTtl(claimIdle: number, maxDeliveries: number): number {
  return Math.max(claimIdle * (maxDeliveries + 2), DONE_EVENTS_MIN_TTL);
}

/** Done indices per entry ID; entries with none are left out. */
export type DoneEvents = ReadonlyMap<string, ReadonlySet<number>>;

/** Adds indices to the done sets of entries, in one round trip; rejects with the first Redis error. */
export async function recordDoneEvents(
  redis: Redis,
  stream: string,
  done: ReadonlyMap<string, readonly number[]>,
  ttlMs: number,
): Promise<void> {
  const pipeline = redis.pipeline();
  let commands = 0;
  for (const [entryId, indices] of done) {
    if (indices.length === 0) continue;
    const key = doneEventsKey(stream, entryId);
    pipeline.call('SADD', key, ...indices.map(String));
    pipeline.call('PEXPIRE', key, ttlMs);
    commands += 2;
  }
  if (commands === 0) return;
  const failure = ((await pipeline.exec()) ?? []).find(([error]) => error !== null);
  if (failure) throw failure[0];
}

/** The indices in an SMEMBERS reply; undefined for none (or an error: its events then run again). */
export function doneIndicesOfReply(reply: unknown): ReadonlySet<number> | undefined {
  if (!Array.isArray(reply) || reply.length === 0) return undefined;
  const indices = new Set<number>();
  for (const member of reply as unknown[]) {
    const index = Number(member);
    if (Number.isInteger(index) && index >= 0) indices.add(index);
  }
  return indices.size === 0 ? undefined : indices;
}

/** The done sets of entries, in one round trip. */
export async function readDoneEvents(
  redis: Redis,
  stream: string,
  entryIds: Iterable<string>,
): Promise<DoneEvents> {
  const ids = [...entryIds];
  const done = new Map<string, ReadonlySet<number>>();
  if (ids.length === 0) return done;
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.call('SMEMBERS', doneEventsKey(stream, id));
  const results = (await pipeline.exec()) ?? [];
  ids.forEach((id, i) => {
    const [error, reply] = results[i] ?? [];
    const indices = error ? undefined : doneIndicesOfReply(reply);
    if (indices !== undefined) done.set(id, indices);
  });
  return done;
}

/** Deletes the done sets of acknowledged entries; best effort (they expire anyway). */
export async function forgetDoneEvents(
  redis: Redis,
  stream: string,
  entryIds: readonly string[],
): Promise<void> {
  if (entryIds.length === 0) return;
  try {
    await redis.call('DEL', ...entryIds.map((id) => doneEventsKey(stream, id)));
  } catch {
    // They expire.
  }
}
