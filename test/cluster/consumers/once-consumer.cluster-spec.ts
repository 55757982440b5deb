import { describe, expect, it, jest } from '@jest/globals';
import { ONCE_GROUP } from '../../../lib/cluster/cluster-keys.js';
import { AmiOnceConsumer, type AmiOnceConsumerOptions } from '../../../lib/cluster/consumers/index.js';
import type {
  AmiStreamDelivery,
  AmiStreamHandler,
} from '../../../lib/cluster/consumers/stream-consumer.types.js';
import type { AmiStreamEvent } from '../../../lib/cluster/stream-entry.js';
import {
  appendEvents,
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

function setUp() {
  const { redis, keys } = testStream(cleanup);
  const consumer = (handler: AmiStreamHandler, options: Partial<AmiOnceConsumerOptions> = {}) => {
    const created = new AmiOnceConsumer({
      redis,
      stream: keys.events,
      deadLetterStream: keys.deadLetters,
      handler,
      blockMs: 200,
      ...options,
    });
    cleanup.add(() => created.stop());
    return created;
  };
  return { redis, keys, consumer };
}

describe('once consumers (real Redis)', () => {
  it('share 1,000 events among 3 consumers on separate connections: each handled exactly once, all acked', async () => {
    const { redis, keys, consumer } = setUp();
    const handledBy = new Map<string, string[]>();
    const consumers = ['a', 'b', 'c'].map((name) => {
      // Each consumer its own client, as separate replicas would have.
      const own = testRedis(cleanup);
      const created = consumer(
        async (event) => {
          await new Promise((resolve) => setImmediate(resolve));
          handledBy.set(String(event.event.Seq), [...(handledBy.get(String(event.event.Seq)) ?? []), name]);
        },
        { redis: own, consumerName: `consumer-${name}`, batchSize: 50 },
      );
      return created;
    });
    for (const c of consumers) await c.start();
    await appendEvents(redis, keys.events, 1_000);

    await waitUntil(
      '1,000 events acked',
      () => consumers.reduce((sum, c) => sum + c.counters().acked, 0) >= 1_000,
    );
    expect(handledBy.size).toBe(1_000);
    expect([...handledBy.values()].filter((names) => names.length !== 1)).toEqual([]);
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
    // All three took part (the batches interleave): no consumer sat idle.
    for (const c of consumers) expect(c.counters().delivered).toBeGreaterThan(0);
    const figures = await consumers[0].figures();
    expect(figures.lag).toBe(0);
    expect(consumers.reduce((sum, c) => sum + c.counters().delivered, 0)).toBe(1_000);
  });

  it('starts a new group at the end of the stream: events appended before the first consumer are not handled', async () => {
    const { redis, keys, consumer } = setUp();
    await appendEvents(redis, keys.events, 5);
    const seen: string[] = [];
    const c = consumer((event) => {
      seen.push(String(event.event.Seq));
    });
    await c.start();
    await appendEvents(redis, keys.events, 3, 100);
    await waitUntil('3 events handled', () => seen.length >= 3);
    expect(seen).toEqual(['100', '101', '102']);
  });

  it('hands the events of a consumer that stopped mid-handler to another, with deliveryCount 2 and the same eventId', async () => {
    const { redis, keys, consumer } = setUp();
    const firstSeen: string[] = [];
    const stuck = consumer(
      (event) => {
        firstSeen.push(event.id);
        return new Promise(() => undefined); // never settles: as if the process died mid-handler
      },
      { consumerName: 'stuck', stopTimeout: 100, claimIdle: 300 },
    );
    await stuck.start();
    const ids = await appendEvents(redis, keys.events, 3);
    // Its first batch holds 1 to 3 of them (the appends race its read); it hangs in those handlers.
    await waitUntil('the stuck consumer is in a handler', () => firstSeen.length > 0);
    await stuck.stop();
    expect(stuck.counters()).toMatchObject({ acked: 0 });

    const redelivered: Array<{ id: string; meta: AmiStreamDelivery }> = [];
    const rescuer = consumer(
      (event: AmiStreamEvent, meta) => {
        redelivered.push({ id: event.id, meta });
      },
      { consumerName: 'rescuer', claimIdle: 300, claimInterval: 100 },
    );
    await rescuer.start();
    await waitUntil('3 events handled', () => redelivered.length === 3);
    expect(redelivered.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const { id, meta } of redelivered) {
      expect(meta).toEqual({ eventId: id, deliveryCount: firstSeen.includes(id) ? 2 : 1 });
    }
    await waitUntil('all acked', async () => (await pendingCount(redis, keys.events, ONCE_GROUP)) === 0);
    expect(rescuer.counters()).toMatchObject({ claimed: firstSeen.length, acked: 3, delivered: 3 });
  });

  it('does not take over an entry whose live handler runs longer than claimIdle', async () => {
    const { redis, keys, consumer } = setUp();
    let release: () => void = () => undefined;
    const calls: AmiStreamDelivery[] = [];
    const slow = consumer(
      (_event, meta) => {
        calls.push(meta);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      { consumerName: 'slow', claimIdle: 300, claimInterval: 100 },
    );
    const other = consumer((_event, meta) => calls.push(meta), {
      consumerName: 'other',
      claimIdle: 300,
      claimInterval: 100,
    });
    await slow.start();
    await appendEvents(redis, keys.events, 1);
    await waitUntil('the slow handler started', () => calls.length === 1);
    const started = Date.now();
    await other.start();
    // A negative check needs a span: four claimIdle periods, the other consumer claiming every 100 ms.
    await waitUntil('four claimIdle periods', () => Date.now() - started > 1_200);
    const [[, owner]] = (await redis.call('XPENDING', keys.events, ONCE_GROUP, '-', '+', 1)) as string[][];
    expect(owner).toBe('slow');
    release();
    await waitUntil('acked', async () => (await pendingCount(redis, keys.events, ONCE_GROUP)) === 0);
    expect(calls).toHaveLength(1);
    expect(other.counters().claimed).toBe(0);
  });

  it('moves an event whose handler keeps failing to the dead-letter stream after maxDeliveries, then leaves it', async () => {
    const { redis, keys, consumer } = setUp();
    const attempts: AmiStreamDelivery[] = [];
    const failing = consumer(
      (_event, meta) => {
        attempts.push(meta);
        throw new Error(`boom ${meta.deliveryCount}`);
      },
      { claimIdle: 50, claimInterval: 50, maxDeliveries: 3, consumerName: 'failing' },
    );
    await failing.start();
    const [id] = await appendEvents(redis, keys.events, 1);

    await waitUntil('one dead letter', () => failing.counters().deadLettered === 1);
    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2, 3]);
    expect(attempts.every((a) => a.eventId === id)).toBe(true);
    const [letter] = await readAll(redis, keys.deadLetters);
    expect(letter).toMatchObject({
      id,
      group: ONCE_GROUP,
      consumer: 'failing',
      deliveries: '3',
      error: 'boom 3',
      epoch: '1',
    });
    expect(letterEvent(letter)).toEqual({ Event: 'UserEvent', Seq: '0' });
    await waitUntil('acked', async () => (await pendingCount(redis, keys.events, ONCE_GROUP)) === 0);
    // Nothing retried after: a later event goes through claim passes without the dead one coming back.
    await appendEvents(redis, keys.events, 1, 1);
    await waitUntil(
      'the next event failed twice',
      () => attempts.filter((a) => a.eventId !== id).length >= 2,
    );
    expect(attempts.filter((a) => a.eventId === id)).toHaveLength(3);
    expect(failing.counters()).toMatchObject({ failed: attempts.length, deadLettered: 1 });
  });

  it('dead-letters an entry that comes back past maxDeliveries without running it again', async () => {
    const { redis, keys, consumer } = setUp();
    await redis.call('XGROUP', 'CREATE', keys.events, ONCE_GROUP, '$', 'MKSTREAM');
    const [id] = await appendEvents(redis, keys.events, 1);
    // A consumer that "died" twice with it: delivered twice, never acked.
    await redis.call('XREADGROUP', 'GROUP', ONCE_GROUP, 'dead', 'COUNT', 1, 'STREAMS', keys.events, '>');
    await redis.call('XCLAIM', keys.events, ONCE_GROUP, 'dead', 0, id);
    const calls: string[] = [];
    const c = consumer((event) => calls.push(event.id), {
      claimIdle: 1,
      claimInterval: 50,
      maxDeliveries: 2,
    });
    await c.start();
    await waitUntil('dead-lettered', () => c.counters().deadLettered === 1);
    expect(calls).toEqual([]);
    const [letter] = await readAll(redis, keys.deadLetters);
    expect(letter).toMatchObject({ id, deliveries: '2' });
    expect(letter.error).toMatch(/not acknowledged after 2 deliveries/);
  });

  it('tells the lag: entries the group has not yet handled', async () => {
    const { redis, keys, consumer } = setUp();
    const c = consumer(() => undefined);
    await c.start();
    await c.stop();
    await appendEvents(redis, keys.events, 7);
    expect((await c.figures()).lag).toBe(7);
    await c.start();
    await waitUntil('7 acked', () => c.counters().acked === 7);
    expect((await c.figures()).lag).toBe(0);
  });

  it('leaves no name behind after a clean stop, and sweeps names that hold nothing and stay silent', async () => {
    const { redis, keys, consumer } = setUp();
    const names = async () =>
      ((await redis.call('XINFO', 'CONSUMERS', keys.events, ONCE_GROUP)) as unknown[][])
        .map((row) => row[1])
        .sort();
    // Redis 7.0 adds a consumer to the group when something is delivered to it.
    const clean = consumer(() => undefined, { consumerName: 'clean' });
    await clean.start();
    await appendEvents(redis, keys.events, 1);
    await waitUntil('it handled an event', () => clean.counters().acked === 1);
    expect(await names()).toEqual(['clean']);
    await clean.stop();
    expect(await names()).toEqual([]);

    // Two dead replicas: one still holding an entry (left for a claim), one holding nothing.
    const [acked] = await appendEvents(redis, keys.events, 2, 1);
    await redis.call(
      'XREADGROUP',
      'GROUP',
      ONCE_GROUP,
      'dead-empty',
      'COUNT',
      1,
      'STREAMS',
      keys.events,
      '>',
    );
    await redis.call('XACK', keys.events, ONCE_GROUP, acked);
    await redis.call(
      'XREADGROUP',
      'GROUP',
      ONCE_GROUP,
      'dead-holding',
      'COUNT',
      1,
      'STREAMS',
      keys.events,
      '>',
    );
    expect(await names()).toEqual(['dead-empty', 'dead-holding']);
    const sweeper = consumer(() => undefined, {
      consumerName: 'sweeper',
      consumerIdleTimeout: 200,
      claimIdle: 60_000,
      claimInterval: 50,
    });
    await sweeper.start();
    await waitUntil('the empty dead name swept', async () => !(await names()).includes('dead-empty'));
    expect(await names()).toContain('dead-holding');
  });

  it('stop() waits for the handlers in flight, then acknowledges what they finished', async () => {
    const { redis, keys, consumer } = setUp();
    let release: () => void = () => undefined;
    let started = false;
    const c = consumer(() => {
      started = true;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await c.start();
    await appendEvents(redis, keys.events, 1);
    await waitUntil('the handler started', () => started);
    let stopped = false;
    const stopping = c.stop().then(() => {
      stopped = true;
    });
    // Its read is interrupted at once; the handler holds stop() until it settles.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(c.counters()).toMatchObject({ delivered: 1, acked: 1 });
    expect(await pendingCount(redis, keys.events, ONCE_GROUP)).toBe(0);
  });
});
