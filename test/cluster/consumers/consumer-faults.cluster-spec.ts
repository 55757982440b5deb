import { describe, expect, it, jest } from '@jest/globals';
import { ONCE_GROUP } from '../../../lib/cluster/cluster-keys.js';
import {
  AmiEveryConsumer,
  AmiLeaderConsumer,
  AmiOnceConsumer,
  type AmiStreamDelivery,
} from '../../../lib/cluster/consumers/index.js';
import { redisScript, redisTarget } from '../support/redis-server.js';
import {
  appendEvents,
  cleanupAfterEach,
  freshKeys,
  pendingCount,
  testRedis,
  testStream,
  waitUntil,
} from './stream-fixtures.js';
import { ReplicaProcess } from './support/replica-process.js';

// Real processes and a real Redis on a shared 2-core box: waits are polls, these are only ceilings.
jest.setTimeout(30_000);

const cleanup = cleanupAfterEach();

describe('consumers across faults (real Redis, separate processes)', () => {
  it('a replica SIGKILLed mid-handler: its events are handled by another with deliveryCount 2 and the same eventId', async () => {
    const { redis, keys } = testStream(cleanup);
    const replica = new ReplicaProcess({
      url: redisTarget.url,
      stream: keys.events,
      dead: keys.deadLetters,
      name: 'doomed',
    });
    cleanup.add(() => replica.kill());
    await waitUntil('the replica is ready', () => replica.lines.some((line) => line.ready === true));
    const ids = await appendEvents(redis, keys.events, 5);
    // Its first batch may hold 1 to 5 of them (the appends race its read); it hangs in those handlers.
    await waitUntil('the replica is in a handler', () => replica.lines.some((line) => 'id' in line));
    await replica.kill();

    const handled: Array<{ id: string; meta: AmiStreamDelivery }> = [];
    const survivor = new AmiOnceConsumer({
      redis,
      stream: keys.events,
      deadLetterStream: keys.deadLetters,
      consumerName: 'survivor',
      blockMs: 200,
      claimIdle: 300,
      claimInterval: 100,
      handler: (event, meta) => {
        handled.push({ id: event.id, meta });
      },
    });
    cleanup.add(() => survivor.stop());
    await survivor.start();
    await waitUntil('5 events handled', () => handled.length === 5);
    expect(handled.map((h) => h.id).sort()).toEqual([...ids].sort());
    const inDeadHandlers = new Set(replica.lines.filter((line) => 'id' in line).map((line) => line.id));
    expect(inDeadHandlers.size).toBeGreaterThan(0);
    for (const { id, meta } of handled) {
      expect(meta).toEqual({ eventId: id, deliveryCount: inDeadHandlers.has(id) ? 2 : 1 });
    }
    expect(survivor.counters().claimed).toBe(inDeadHandlers.size);
    await waitUntil('all acked', async () => (await pendingCount(redis, keys.events, ONCE_GROUP)) === 0);
  });

  it('Redis restarted without persistence: every kind recreates what it needs and handles the events appended after, once', async () => {
    const publisher = testRedis(cleanup);
    const keys = freshKeys();
    cleanup.add(() => publisher.del(keys.events, keys.deadLetters));
    const once = new Map<string, number>();
    const every: string[] = [];
    const leader: string[] = [];
    const client = () => {
      const redis = testRedis(cleanup);
      return redis;
    };
    const common = { stream: keys.events, deadLetterStream: keys.deadLetters, blockMs: 200 };
    const onceConsumers = ['a', 'b'].map(
      (name) =>
        new AmiOnceConsumer({
          ...common,
          redis: client(),
          consumerName: name,
          claimIdle: 500,
          handler: (event) => {
            once.set(String(event.event.Seq), (once.get(String(event.event.Seq)) ?? 0) + 1);
          },
        }),
    );
    const consumers = [
      ...onceConsumers,
      new AmiEveryConsumer({
        ...common,
        redis: client(),
        handler: (event) => every.push(String(event.event.Seq)),
      }),
      new AmiLeaderConsumer({
        ...common,
        redis: client(),
        handler: (event) => leader.push(String(event.event.Seq)),
      }),
    ];
    for (const c of consumers) {
      cleanup.add(() => c.stop());
      await c.start();
    }
    await appendEvents(publisher, keys.events, 100);
    await waitUntil(
      '100 before the restart',
      () => once.size === 100 && every.length === 100 && leader.length === 100,
    );

    redisScript('restart');
    // Every key is gone (the consumers may already have recreated an empty stream and their groups).
    expect(await publisher.xlen(keys.events)).toBe(0);
    // The publisher appends as soon as Redis is back, before or after the consumers notice: no matter.
    await appendEvents(publisher, keys.events, 100, 100);
    await waitUntil(
      'the 100 appended after the restart',
      () => once.size === 200 && every.length === 200 && leader.length === 200,
      30_000,
    );

    const expected = Array.from({ length: 200 }, (_, i) => String(i));
    expect([...once.entries()].filter(([, times]) => times !== 1)).toEqual([]);
    expect(every).toEqual(expected);
    expect(leader).toEqual(expected);
    await waitUntil('all acked', async () => (await pendingCount(publisher, keys.events, ONCE_GROUP)) === 0);
    for (const c of onceConsumers) expect(c.counters().claimed).toBe(0);
  }, 60_000);

  it('Redis down: consumers back off without throwing, stop() still resolves, and they go on once it is back', async () => {
    const publisher = testRedis(cleanup);
    const keys = freshKeys();
    cleanup.add(() => publisher.del(keys.events, keys.deadLetters));
    const seen: string[] = [];
    const make = () => {
      const redis = testRedis(cleanup);
      const consumer = new AmiOnceConsumer({
        redis,
        stream: keys.events,
        deadLetterStream: keys.deadLetters,
        blockMs: 200,
        stopTimeout: 1_000,
        handler: (event) => {
          seen.push(String(event.event.Seq));
        },
      });
      cleanup.add(() => consumer.stop());
      return consumer;
    };
    const survivor = make();
    const stopped = make();
    await survivor.start();
    await stopped.start();
    cleanup.add(() => redisScript('start'));
    redisScript('stop');
    // Down for a while (several backoff rounds), then stop one: it must settle without Redis.
    await waitUntil('the outage is seen', async () => (await survivor.figures()).lag === undefined);
    await stopped.stop();
    redisScript('start');
    await appendEvents(publisher, keys.events, 10);
    await waitUntil('10 handled after the outage', () => seen.length === 10, 30_000);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(stopped.counters().delivered).toBe(0);
  }, 60_000);
});
