import { describe, expect, it, jest } from '@jest/globals';
import { AmiEveryConsumer } from '../../../lib/cluster/consumers/index.js';
import type { AmiStreamHandler } from '../../../lib/cluster/consumers/stream-consumer.types.js';
import { appendEvents, cleanupAfterEach, testRedis, testStream, waitUntil } from './stream-fixtures.js';

// Real processes and a real Redis on a shared 2-core box: waits are polls, these are only ceilings.
jest.setTimeout(30_000);

const cleanup = cleanupAfterEach();

function setUp() {
  const { redis, keys } = testStream(cleanup);
  const consumer = (handler: AmiStreamHandler) => {
    const own = testRedis(cleanup);
    const created = new AmiEveryConsumer({
      redis: own,
      stream: keys.events,
      handler,
      blockMs: 200,
      batchSize: 100,
    });
    cleanup.add(() => created.stop());
    return created;
  };
  return { redis, keys, consumer };
}

describe('every consumers (real Redis)', () => {
  it('give each of 3 consumers every event, in stream order', async () => {
    const { redis, keys, consumer } = setUp();
    const seen = [[], [], []] as string[][];
    const consumers = seen.map((list) => consumer((event) => list.push(String(event.event.Seq))));
    for (const c of consumers) await c.start();
    await appendEvents(redis, keys.events, 500);
    await waitUntil('500 events on each', () => seen.every((list) => list.length >= 500));
    const expected = Array.from({ length: 500 }, (_, i) => String(i));
    for (const list of seen) expect(list).toEqual(expected);
    expect((await consumers[0].figures()).lag).toBe(0);
  });

  it('start a late replica at the end of the stream: only events appended after its start()', async () => {
    const { redis, keys, consumer } = setUp();
    const early: string[] = [];
    await consumer((event) => early.push(String(event.event.Seq))).start();
    await appendEvents(redis, keys.events, 10);
    await waitUntil('the early replica saw 10', () => early.length === 10);

    const late: string[] = [];
    const lateConsumer = consumer((event) => late.push(String(event.event.Seq)));
    await lateConsumer.start();
    await appendEvents(redis, keys.events, 5, 10);
    await waitUntil('the early replica saw 15', () => early.length === 15);
    await waitUntil('the late replica saw 5', () => late.length === 5);
    expect(late).toEqual(['10', '11', '12', '13', '14']);
  });

  it('restarted (stop, start) it skips what was appended while it was stopped', async () => {
    const { redis, keys, consumer } = setUp();
    const seen: string[] = [];
    const c = consumer((event) => seen.push(String(event.event.Seq)));
    await c.start();
    await appendEvents(redis, keys.events, 2);
    await waitUntil('2 seen', () => seen.length === 2);
    await c.stop();
    await appendEvents(redis, keys.events, 2, 2);
    await c.start();
    await appendEvents(redis, keys.events, 2, 4);
    await waitUntil('2 more seen', () => seen.length === 4);
    expect(seen).toEqual(['0', '1', '4', '5']);
  });

  it('a stream that does not exist yet: reads it from its first entry', async () => {
    const { redis, keys, consumer } = setUp();
    const seen: string[] = [];
    const c = consumer((event) => seen.push(String(event.event.Seq)));
    await c.start();
    expect(c.position).toBe('0-0');
    await appendEvents(redis, keys.events, 3);
    await waitUntil('3 seen', () => seen.length === 3);
    expect(seen).toEqual(['0', '1', '2']);
  });

  it('a failing handler is counted and does not stop the others', async () => {
    const { redis, keys, consumer } = setUp();
    const seen: string[] = [];
    const c = consumer(async (event) => {
      if (event.event.Seq === '1') throw new Error('nope');
      seen.push(String(event.event.Seq));
    });
    await c.start();
    await appendEvents(redis, keys.events, 3);
    await waitUntil('2 handled', () => seen.length === 2);
    expect(c.counters()).toMatchObject({ delivered: 3, failed: 1, acked: 0 });
  });
});
