import { describe, expect, it, jest } from '@jest/globals';
import { LEADER_GROUP } from '../../../lib/cluster/cluster-keys.js';
import { AmiLeaderConsumer, LEADER_CONSUMER } from '../../../lib/cluster/consumers/index.js';
import type {
  AmiStreamDelivery,
  AmiStreamHandler,
} from '../../../lib/cluster/consumers/stream-consumer.types.js';
import {
  appendEvents,
  cleanupAfterEach,
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
  const leader = (
    handler: AmiStreamHandler,
    options: { stopTimeout?: number; maxDeliveries?: number } = {},
  ) => {
    const own = testRedis(cleanup);
    const created = new AmiLeaderConsumer({
      redis: own,
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
  return { redis, keys, leader };
}

describe('leader consumer (real Redis)', () => {
  it('handles events one at a time, in stream order', async () => {
    const { redis, keys, leader } = setUp();
    const seen: number[] = [];
    let running = 0;
    let overlapped = false;
    const c = leader(async (event) => {
      running += 1;
      overlapped ||= running > 1;
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(Number(event.event.Seq));
      running -= 1;
    });
    await c.start();
    await appendEvents(redis, keys.events, 300);
    await waitUntil('300 handled', () => seen.length === 300);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(overlapped).toBe(false);
    await waitUntil('all acked', async () => (await pendingCount(redis, keys.events, LEADER_GROUP)) === 0);
  });

  it('a second leader after stop() continues from the last acknowledged event: nothing skipped, nothing acked repeated', async () => {
    const { redis, keys, leader } = setUp();
    const handled: Array<{ seq: number; by: string; meta: AmiStreamDelivery }> = [];
    let release: () => void = () => undefined;
    // The first leader handles 0..9, then hangs on 10 (as if it lost leadership mid-handler).
    const first = leader(
      (event, meta) => {
        const seq = Number(event.event.Seq);
        if (seq === 10) return new Promise<void>((resolve) => (release = resolve));
        handled.push({ seq, by: 'first', meta });
      },
      { stopTimeout: 100 },
    );
    await first.start();
    await appendEvents(redis, keys.events, 20);
    await waitUntil('the first leader reached event 10', () => handled.length === 10);
    await waitUntil('its 10 acks went out', () => first.counters().acked === 10);
    await first.stop();
    await appendEvents(redis, keys.events, 5, 20);

    const second = leader((event, meta) => {
      handled.push({ seq: Number(event.event.Seq), by: 'second', meta });
    });
    await second.start();
    await waitUntil('25 handled', () => handled.length === 25);
    expect(handled.map((h) => h.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(handled.slice(10).every((h) => h.by === 'second')).toBe(true);
    // Event 10 had been delivered to the first leader: the second gets it again, counted.
    expect(handled[10].meta.deliveryCount).toBe(2);
    expect(handled[11].meta.deliveryCount).toBeGreaterThanOrEqual(1);
    expect(handled[24].meta.deliveryCount).toBe(1);
    await waitUntil('all acked', async () => (await pendingCount(redis, keys.events, LEADER_GROUP)) === 0);
    const consumers = (await redis.call('XINFO', 'CONSUMERS', keys.events, LEADER_GROUP)) as unknown[][];
    expect(consumers.map((row) => row[1])).toEqual([LEADER_CONSUMER]);
    release();
  });

  it('runs a failing handler again in place, then dead-letters it and goes on in order', async () => {
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
    const ids = await appendEvents(redis, keys.events, 3);
    await waitUntil('event 2 handled', () => calls.some(([seq]) => seq === 2));
    expect(calls).toEqual([
      [0, 1],
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
    ]);
    const [letter] = await readAll(redis, keys.deadLetters);
    expect(letter).toMatchObject({ id: ids[1], group: LEADER_GROUP, deliveries: '3', error: 'bad state' });
    await waitUntil('all acked', async () => (await pendingCount(redis, keys.events, LEADER_GROUP)) === 0);
  });
});
