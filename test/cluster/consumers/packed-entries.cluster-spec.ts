import { describe, expect, it, jest } from '@jest/globals';
import { LEADER_GROUP, ONCE_GROUP } from '../../../lib/cluster/cluster-keys.js';
import { doneEventsKey } from '../../../lib/cluster/consumers/done-events.js';
import {
  AmiEveryConsumer,
  AmiLeaderConsumer,
  type AmiLeaderConsumerOptions,
  AmiOnceConsumer,
  type AmiOnceConsumerOptions,
} from '../../../lib/cluster/consumers/index.js';
import type {
  AmiStreamDelivery,
  AmiStreamHandler,
} from '../../../lib/cluster/consumers/stream-consumer.types.js';
import { encodeGapEntry } from '../../../lib/cluster/stream-entry.js';
import {
  appendEvents,
  appendPackedEntries,
  cleanupAfterEach,
  letterEvent,
  pendingCount,
  readAll,
  testRedis,
  testStream,
  waitUntil,
} from './stream-fixtures.js';

// Real processes and a real Redis on a shared 2-core box: waits are polls, these are only ceilings.
jest.setTimeout(30_000);

const cleanup = cleanupAfterEach();

interface Call {
  readonly seq: string;
  readonly meta: AmiStreamDelivery;
}

function setUp() {
  const { redis, keys } = testStream(cleanup);
  const once = (handler: AmiStreamHandler, options: Partial<AmiOnceConsumerOptions> = {}) => {
    const created = new AmiOnceConsumer({
      redis: testRedis(cleanup),
      stream: keys.events,
      deadLetterStream: keys.deadLetters,
      handler,
      blockMs: 200,
      ...options,
    });
    cleanup.add(() => created.stop());
    return created;
  };
  const leader = (handler: AmiStreamHandler, options: Partial<AmiLeaderConsumerOptions> = {}) => {
    const created = new AmiLeaderConsumer({
      redis: testRedis(cleanup),
      stream: keys.events,
      deadLetterStream: keys.deadLetters,
      handler,
      blockMs: 200,
      batchSize: 50,
      retryDelay: 10,
      ...options,
    });
    cleanup.add(() => created.stop());
    return created;
  };
  const doneKeyExists = async (entryId: string) =>
    Number(await redis.call('EXISTS', doneEventsKey(keys.events, entryId))) === 1;
  return { redis, keys, once, leader, doneKeyExists };
}

/** The calls of one event, by its Seq. */
function callsOf(calls: readonly Call[], seq: number): AmiStreamDelivery[] {
  return calls.filter((call) => call.seq === String(seq)).map((call) => call.meta);
}

describe('packed entries, once consumers (real Redis)', () => {
  it('3 consumers share packed entries: every event handled exactly once under its own eventId, every entry acked', async () => {
    const { redis, keys, once } = setUp();
    const handled = new Map<string, number>();
    const metas: AmiStreamDelivery[] = [];
    const consumers = ['a', 'b', 'c'].map((name) =>
      once(
        async (event, meta) => {
          await new Promise((resolve) => setImmediate(resolve));
          if (meta.eventId !== event.id) metas.push(meta);
          handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
        },
        { consumerName: `consumer-${name}`, batchSize: 10 },
      ),
    );
    for (const c of consumers) await c.start();
    const sizes = Array.from({ length: 120 }, (_, i) => 1 + (i % 7)); // 1 to 7 events each
    const { entryIds, eventIds } = await appendPackedEntries(redis, keys.events, sizes);

    await waitUntil(
      'every entry acked',
      () => consumers.reduce((sum, c) => sum + c.counters().acked, 0) >= entryIds.length,
    );
    expect([...handled.keys()].sort()).toEqual([...eventIds].sort());
    expect([...handled.values()].filter((count) => count !== 1)).toEqual([]);
    expect(metas).toEqual([]);
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
    for (const c of consumers) expect(c.counters().delivered).toBeGreaterThan(0);
    expect(consumers.reduce((sum, c) => sum + c.counters().delivered, 0)).toBe(eventIds.length);
    expect(consumers.reduce((sum, c) => sum + c.counters().acked, 0)).toBe(entryIds.length);
  });

  it('an event that fails once: only it is delivered again (deliveryCount 2), its neighbours run once', async () => {
    const { redis, keys, once, doneKeyExists } = setUp();
    const calls: Call[] = [];
    let doneAtRetry: string[] = [];
    const c = once(
      async (event, meta) => {
        calls.push({ seq: String(event.event.Seq), meta });
        if (event.event.Seq !== '2') return;
        if (meta.deliveryCount === 1) throw new Error('once');
        doneAtRetry = (await redis.smembers(doneEventsKey(keys.events, event.entryId))).sort();
      },
      { claimIdle: 200, claimInterval: 50 },
    );
    await c.start();
    const {
      entryIds: [entryId],
      eventIds,
    } = await appendPackedEntries(redis, keys.events, [5]);

    await waitUntil('the entry acked', () => c.counters().acked === 1);
    expect(callsOf(calls, 2)).toEqual([
      { eventId: eventIds[2], deliveryCount: 1 },
      { eventId: eventIds[2], deliveryCount: 2 },
    ]);
    for (const seq of [0, 1, 3, 4]) {
      expect(callsOf(calls, seq)).toEqual([{ eventId: eventIds[seq], deliveryCount: 1 }]);
    }
    expect(doneAtRetry).toEqual(['0', '1', '3', '4']);
    expect(c.counters()).toMatchObject({ delivered: 6, failed: 1, claimed: 1, acked: 1, deadLettered: 0 });
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
    await waitUntil('its done set deleted', async () => !(await doneKeyExists(entryId)));
  });

  it('an entry left pending is not claimed before its done set is written, however long the rest of its batch runs', async () => {
    const { redis, keys, once, doneKeyExists } = setUp();
    await redis.call('XGROUP', 'CREATE', keys.events, ONCE_GROUP, '$', 'MKSTREAM');
    // One batch: entry [0 1] (0 fails once) and entry [2], whose handler runs until released.
    const {
      entryIds: [entryId],
    } = await appendPackedEntries(redis, keys.events, [2, 1]);
    const calls: Call[] = [];
    let release: () => void = () => undefined;
    const options = { claimIdle: 300, claimInterval: 50 };
    const handler: AmiStreamHandler = (event, meta) => {
      calls.push({ seq: String(event.event.Seq), meta });
      if (event.event.Seq === '0' && meta.deliveryCount === 1) throw new Error('once');
      if (event.event.Seq === '2') return new Promise<void>((resolve) => (release = resolve));
    };
    const first = once(handler, { ...options, consumerName: 'first' });
    await first.start();
    await waitUntil('the slow handler started', () => callsOf(calls, 2).length === 1);
    const started = Date.now();
    await once(handler, { ...options, consumerName: 'other' }).start();
    // A negative check needs a span: four claimIdle periods, the other consumer claiming every 50 ms.
    await waitUntil('four claimIdle periods', () => Date.now() - started > 1_200);
    expect(callsOf(calls, 1)).toHaveLength(1);
    release();

    await waitUntil('event 0 handled again', () => callsOf(calls, 0).length === 2);
    await waitUntil(
      'both entries acked',
      async () => (await pendingCount(redis, keys.events, ONCE_GROUP)) === 0,
    );
    expect(callsOf(calls, 0).map((meta) => meta.deliveryCount)).toEqual([1, 2]);
    expect(callsOf(calls, 1)).toHaveLength(1);
    expect(callsOf(calls, 2)).toHaveLength(1);
    await waitUntil('its done set deleted', async () => !(await doneKeyExists(entryId)));
  });

  it('an event that always fails is dead-lettered alone, under its event ID; its neighbours run once', async () => {
    const { redis, keys, once, doneKeyExists } = setUp();
    const calls: Call[] = [];
    const c = once(
      (event, meta) => {
        calls.push({ seq: String(event.event.Seq), meta });
        if (event.event.Seq === '1') throw new Error(`boom ${meta.deliveryCount}`);
      },
      { claimIdle: 50, claimInterval: 50, maxDeliveries: 3, consumerName: 'failing' },
    );
    await c.start();
    const {
      entryIds: [entryId],
      eventIds,
    } = await appendPackedEntries(redis, keys.events, [3]);

    await waitUntil('the entry acked', () => c.counters().acked === 1);
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
    expect(callsOf(calls, 1)).toEqual([1, 2, 3].map((n) => ({ eventId: eventIds[1], deliveryCount: n })));
    expect(callsOf(calls, 0)).toEqual([{ eventId: eventIds[0], deliveryCount: 1 }]);
    expect(callsOf(calls, 2)).toEqual([{ eventId: eventIds[2], deliveryCount: 1 }]);
    const letters = await readAll(redis, keys.deadLetters);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      id: `${entryId}#1`,
      group: ONCE_GROUP,
      consumer: 'failing',
      deliveries: '3',
      error: 'boom 3',
      epoch: '1',
    });
    expect(letterEvent(letters[0])).toEqual({ Event: 'UserEvent', Seq: '1' });
    expect(letters[0].events).toBeUndefined();
    expect(c.counters()).toMatchObject({ delivered: 5, failed: 3, deadLettered: 1, acked: 1 });
    await waitUntil('its done set deleted', async () => !(await doneKeyExists(entryId)));
  });

  it('a consumer stopped with a packed entry in hand: another claims it and runs its events with deliveryCount 2', async () => {
    const { redis, keys, once } = setUp();
    const started: string[] = [];
    const stuck = once(
      (event) => {
        started.push(event.id);
        return new Promise(() => undefined); // never settles: as if the process died mid-handler
      },
      { consumerName: 'stuck', stopTimeout: 100, claimIdle: 300 },
    );
    await stuck.start();
    const { eventIds } = await appendPackedEntries(redis, keys.events, [4]);
    // The events of an entry run side by side: all four start.
    await waitUntil('the stuck consumer runs all 4', () => started.length === 4);
    await stuck.stop();
    expect(stuck.counters()).toMatchObject({ acked: 0, delivered: 4 });

    const redelivered: Array<{ id: string; meta: AmiStreamDelivery }> = [];
    const rescuer = once((event, meta) => void redelivered.push({ id: event.id, meta }), {
      consumerName: 'rescuer',
      claimIdle: 300,
      claimInterval: 100,
    });
    await rescuer.start();
    await waitUntil('the entry acked', () => rescuer.counters().acked === 1);
    expect(redelivered).toEqual(eventIds.map((id) => ({ id, meta: { eventId: id, deliveryCount: 2 } })));
    expect(rescuer.counters()).toMatchObject({ claimed: 1, delivered: 4, acked: 1 });
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
  });

  it('a claimed entry past maxDeliveries dead-letters each of its events not yet done, and runs none', async () => {
    const { redis, keys, once, doneKeyExists } = setUp();
    await redis.call('XGROUP', 'CREATE', keys.events, ONCE_GROUP, '$', 'MKSTREAM');
    const {
      entryIds: [entryId],
      eventIds,
    } = await appendPackedEntries(redis, keys.events, [3]);
    // A consumer that "died" twice with it, having done event 0 once.
    await redis.call('XREADGROUP', 'GROUP', ONCE_GROUP, 'dead', 'COUNT', 1, 'STREAMS', keys.events, '>');
    await redis.call('XCLAIM', keys.events, ONCE_GROUP, 'dead', 0, entryId);
    await redis.call('SADD', doneEventsKey(keys.events, entryId), '0');
    const calls: string[] = [];
    const c = once((event) => void calls.push(event.id), {
      claimIdle: 1,
      claimInterval: 50,
      maxDeliveries: 2,
    });
    await c.start();
    await waitUntil('the entry acked', () => c.counters().acked === 1);
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
    expect(calls).toEqual([]);
    const letters = await readAll(redis, keys.deadLetters);
    expect(letters.map((letter) => letter.id)).toEqual([eventIds[1], eventIds[2]]);
    expect(letters.map((letter) => (letterEvent(letter) as { Seq: string }).Seq)).toEqual(['1', '2']);
    for (const letter of letters) expect(letter.error).toMatch(/not acknowledged after 2 deliveries/);
    expect(c.counters()).toMatchObject({ deadLettered: 2, acked: 1, delivered: 0 });
    await waitUntil('its done set deleted', async () => !(await doneKeyExists(entryId)));
  });
});

describe('packed entries, every consumer (real Redis)', () => {
  it('expands each entry into its events, in stream order, with their event IDs; gap markers aside', async () => {
    const { redis, keys } = setUp();
    const seen: Array<{ seq: string; id: string; meta: AmiStreamDelivery }> = [];
    const gaps: string[] = [];
    const c = new AmiEveryConsumer({
      redis: testRedis(cleanup),
      stream: keys.events,
      handler: (event, meta) => void seen.push({ seq: String(event.event.Seq), id: event.id, meta }),
      onGap: (gap) => void gaps.push(gap.id),
      blockMs: 200,
    });
    cleanup.add(() => c.stop());
    await c.start();
    const first = await appendPackedEntries(redis, keys.events, [3, 1]);
    const single = await appendEvents(redis, keys.events, 1, 4);
    const gap = String(await redis.call('XADD', keys.events, '*', ...encodeGapEntry(1, 2, 1)));
    const last = await appendPackedEntries(redis, keys.events, [2, 4], 5);
    const eventIds = [...first.eventIds, ...single, ...last.eventIds];

    await waitUntil('11 events seen', () => seen.length === 11);
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: 11 }, (_, i) => String(i)));
    expect(seen.map((s) => s.id)).toEqual(eventIds);
    expect(seen.map((s) => s.meta)).toEqual(eventIds.map((eventId) => ({ eventId, deliveryCount: 1 })));
    expect(eventIds.slice(0, 4)).toEqual([
      `${first.entryIds[0]}#0`,
      `${first.entryIds[0]}#1`,
      `${first.entryIds[0]}#2`,
      first.entryIds[1],
    ]);
    await waitUntil('the gap announced', () => gaps.length === 1);
    expect(gaps).toEqual([gap]);
    expect(c.counters()).toMatchObject({ delivered: 11, failed: 0 });
  });
});

describe('packed entries, leader consumer (real Redis)', () => {
  it('handles events one at a time in stream order, entry by entry and event by event', async () => {
    const { redis, keys, leader } = setUp();
    const seen: Array<{ seq: number; id: string }> = [];
    let running = 0;
    let overlapped = false;
    const c = leader(async (event) => {
      running += 1;
      overlapped ||= running > 1;
      await new Promise((resolve) => setImmediate(resolve));
      seen.push({ seq: Number(event.event.Seq), id: event.id });
      running -= 1;
    });
    await c.start();
    const sizes = Array.from({ length: 60 }, (_, i) => 1 + (i % 5));
    const { entryIds, eventIds } = await appendPackedEntries(redis, keys.events, sizes);
    await waitUntil('every event handled', () => seen.length === eventIds.length);
    expect(seen.map((s) => s.seq)).toEqual(eventIds.map((_, i) => i));
    expect(seen.map((s) => s.id)).toEqual(eventIds);
    expect(overlapped).toBe(false);
    await waitUntil('every entry acked', () => c.counters().acked === entryIds.length);
    expect(c.counters()).toMatchObject({ delivered: eventIds.length });
    expect(await pendingCount(redis, keys.events, LEADER_GROUP)).toBe(0);
  });

  it('stop() in the middle of a packed entry: the next leader handles the rest of it, no event twice, none lost', async () => {
    const { redis, keys, leader, doneKeyExists } = setUp();
    const handled: Array<{ seq: number; by: string; meta: AmiStreamDelivery }> = [];
    let stopped: Promise<void> | undefined;
    // Entries [0 1 2] [3 4 5 6 7] [8 9]: the first leader is stopped while it handles event 5.
    const first: AmiLeaderConsumer = leader((event, meta) => {
      const seq = Number(event.event.Seq);
      handled.push({ seq, by: 'first', meta });
      // stop() marks the consumer stopping before its first await: event 5 settles after that.
      if (seq === 5) stopped = first.stop();
    });
    await first.start();
    const { entryIds, eventIds } = await appendPackedEntries(redis, keys.events, [3, 5, 2]);
    await waitUntil('the first leader stopped', () => stopped !== undefined);
    await stopped;
    expect(handled.map((h) => h.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await redis.smembers(doneEventsKey(keys.events, entryIds[1]))).sort()).toEqual(['0', '1', '2']);

    const second = leader((event, meta) => {
      handled.push({ seq: Number(event.event.Seq), by: 'second', meta });
    });
    await second.start();
    await waitUntil('the other 2 entries acked', () => second.counters().acked === 2);
    expect(await pendingCount(redis, keys.events, LEADER_GROUP)).toBe(0);
    expect(handled.map((h) => h.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(handled.slice(6).every((h) => h.by === 'second')).toBe(true);
    expect(handled.map((h) => h.meta.eventId)).toEqual(eventIds);
    // Events 6 and 7 were in an entry delivered to the first leader: delivered again, counted.
    expect(handled.slice(6, 8).map((h) => h.meta.deliveryCount)).toEqual([2, 2]);
    await waitUntil('its done set deleted', async () => !(await doneKeyExists(entryIds[1])));
  });

  it('stop() while a failed event of a packed entry waits for its retry: the next leader runs it and what follows', async () => {
    const { redis, keys, leader, doneKeyExists } = setUp();
    const handled: Array<{ seq: number; by: string; meta: AmiStreamDelivery }> = [];
    let stopped: Promise<void> | undefined;
    const first: AmiLeaderConsumer = leader(
      (event, meta) => {
        const seq = Number(event.event.Seq);
        handled.push({ seq, by: 'first', meta });
        if (seq === 2) {
          stopped = first.stop();
          throw new Error('not now');
        }
      },
      { retryDelay: 1_000 },
    );
    await first.start();
    const {
      entryIds: [entryId],
      eventIds,
    } = await appendPackedEntries(redis, keys.events, [4]);
    await waitUntil('the first leader stopped', () => stopped !== undefined);
    await stopped;
    expect((await redis.smembers(doneEventsKey(keys.events, entryId))).sort()).toEqual(['0', '1']);

    const second = leader((event, meta) => {
      handled.push({ seq: Number(event.event.Seq), by: 'second', meta });
    });
    await second.start();
    await waitUntil('the entry acked', () => second.counters().acked === 1);
    expect(await pendingCount(redis, keys.events, LEADER_GROUP)).toBe(0);
    expect(handled.map((h) => [h.seq, h.by, h.meta.deliveryCount])).toEqual([
      [0, 'first', 1],
      [1, 'first', 1],
      [2, 'first', 1],
      [2, 'second', 2],
      [3, 'second', 2],
    ]);
    expect(handled.map((h) => h.meta.eventId)).toEqual([
      eventIds[0],
      eventIds[1],
      eventIds[2],
      eventIds[2],
      eventIds[3],
    ]);
    await waitUntil('its done set deleted', async () => !(await doneKeyExists(entryId)));
  });

  it('dead-letters one failing event of a packed entry alone, then goes on with the entry in order', async () => {
    const { redis, keys, leader } = setUp();
    const calls: Array<[number, number]> = [];
    const c = leader(
      (event, meta) => {
        calls.push([Number(event.event.Seq), meta.deliveryCount]);
        if (event.event.Seq === '1') throw new Error('bad state');
      },
      { maxDeliveries: 3 },
    );
    await c.start();
    const {
      entryIds: [entryId],
    } = await appendPackedEntries(redis, keys.events, [3]);
    await waitUntil('the entry acked', () => c.counters().acked === 1);
    expect(await pendingCount(redis, keys.events, LEADER_GROUP)).toBe(0);
    expect(calls).toEqual([
      [0, 1],
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
    ]);
    const letters = await readAll(redis, keys.deadLetters);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id: `${entryId}#1`, group: LEADER_GROUP, deliveries: '3' });
    expect(letterEvent(letters[0])).toEqual({ Event: 'UserEvent', Seq: '1' });
    expect(c.counters()).toMatchObject({ delivered: 5, failed: 3, deadLettered: 1, acked: 1 });
  });
});
