import type { Redis } from 'ioredis';
import { AmiEventPublisher } from '../../lib/cluster/event-publisher.js';
import { relayEvents } from '../../lib/cluster/event-relay.js';
import { AmiLeadership } from '../../lib/cluster/leadership.js';
import type { AmiEvent } from '../../lib/protocol/ami-message.js';
import {
  acceptingPublisher,
  Connections,
  freshKeys,
  nextEmission,
  recordingLogger,
} from './support/cluster-fixture.js';
import { redisScriptInBackground } from './support/redis-control.js';
import { readStream, waitFor } from './support/stream-reader.js';

const connections = new Connections();
let redis: Redis;

beforeAll(async () => {
  redis = await connections.open();
});
afterAll(() => connections.closeAll());

/** An event source like AmiClient's onEvent('*'), fed by the test. */
function fakeSource() {
  const listeners = new Set<(event: AmiEvent, context: { fromAction: boolean }) => void>();
  return {
    onEvent: (_name: '*', listener: (event: AmiEvent, context: { fromAction: boolean }) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event: AmiEvent) => {
      for (const listener of listeners) listener(event, { fromAction: false });
    },
  };
}

describe('Redis faults under the leader and its publisher', () => {
  it('Redis restarted (no persistence) while publishing: buffered events published after, leader re-elected, no crash', async () => {
    const keys = freshKeys('restart');
    const own = await connections.open();
    const { logger, lines } = recordingLogger();
    const leadership = new AmiLeadership({ redis: own, keys, leaseTtl: 3_000, logger });
    const publisher = new AmiEventPublisher({ redis: own, keys, leadership, logger });
    const source = fakeSource();
    const relayed = acceptingPublisher(publisher);
    relayEvents(source, leadership, relayed);
    const elections: number[] = [];
    leadership.on('elected', (epoch) => elections.push(epoch));
    leadership.start();
    await nextEmission<number>((l) => leadership.on('elected', l));

    // A tick every 5 ms; the relay hands the publisher those offered while this replica leads.
    let seq = 0;
    let peakBuffered = 0;
    const ticker = setInterval(() => {
      seq++;
      source.emit({ Event: 'Tick', Seq: String(seq) });
      peakBuffered = Math.max(peakBuffered, publisher.stats.buffered);
    }, 5);
    try {
      await waitFor('entries before the restart', async () =>
        (await redis.xlen(keys.events)) > 20 ? true : undefined,
      );
      const beforeRestart = publisher.stats;
      await redisScriptInBackground('restart');
      // The restart lost the lease, the epoch and the stream: a new term, from epoch 1 again.
      await waitFor('a leader re-elected', async () =>
        elections.length >= 2 && leadership.isLeader ? true : undefined,
      );
      const lastOffered = seq;
      await waitFor('the events offered so far in the stream', async () => {
        const entries = await readStream(redis, keys.events);
        return entries.some((entry) => Number(entry.event.Seq) >= lastOffered) ? true : undefined;
      });
      const entries = await readStream(redis, keys.events);
      const seqs = entries.map((entry) => Number(entry.event.Seq));
      // Every event the publisher accepted since the first one that survived the restart, once, in order.
      const first = relayed.accepted.indexOf(seqs[0]);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(seqs).toEqual(relayed.accepted.slice(first, first + seqs.length));
      expect(seqs.length).toBeGreaterThan(0);
      // The buffered events went out in the new term: every entry carries its epoch.
      const term = leadership.current();
      expect(entries.every((entry) => entry.epoch === term?.epoch)).toBe(true);
      const stats = publisher.stats;
      // None vanished in the publisher: each accepted event is published, dropped or still waiting.
      expect(stats.published + stats.dropped + stats.buffered).toBe(relayed.accepted.length);
      console.log(
        `[cluster] Redis restart: epochs ${elections.join(' -> ')}; peak buffered ${peakBuffered}; ` +
          `published ${beforeRestart.published} before, ${stats.published} in all; refused ${stats.refused}; ` +
          `dropped ${stats.dropped}; first entry after the restart: Seq ${seqs[0]}`,
      );
      expect(stats.dropped).toBe(0);
      expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    } finally {
      clearInterval(ticker);
      await publisher.stop();
      await leadership.stop();
    }
  }, 60_000);

  it('buffer full while Redis cannot take writes: the excess is dropped, counted, logged once; the rest published in order', async () => {
    const keys = freshKeys('overflow');
    const own = await connections.open();
    const { logger, lines } = recordingLogger();
    const leadership = new AmiLeadership({ redis: own, keys, leaseTtl: 60_000, logger });
    const publisher = new AmiEventPublisher({
      redis: own,
      keys,
      leadership,
      bufferLimit: 50,
      stallTimeout: 50,
      logger,
    });
    leadership.start();
    await nextEmission<number>((l) => leadership.on('elected', l));
    try {
      // Writes (and scripts) wait while Redis is paused; this connection's reads and the test's go on.
      await redis.client('PAUSE', 5_000, 'WRITE');
      publisher.publish({ Event: 'Tick', Seq: '1' });
      await waitFor('the first batch on its way', async () =>
        publisher.stats.buffered === 1 ? true : undefined,
      );
      await new Promise((resolve) => setImmediate(resolve));
      // bufferLimit binds once Redis counts as away: its batch unanswered past stallTimeout (50 ms).
      const sentBy = performance.now();
      await waitFor('the batch unanswered past stallTimeout', async () =>
        performance.now() - sentBy > 100 ? true : undefined,
      );
      for (let seq = 2; seq <= 200; seq++) publisher.publish({ Event: 'Tick', Seq: String(seq) });
      expect(publisher.stats).toMatchObject({ buffered: 50, dropped: 150, published: 0 });
      await redis.client('UNPAUSE');
      await publisher.idle();
      const entries = await readStream(redis, keys.events);
      expect(entries.map((entry) => Number(entry.event.Seq))).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const dropLines = lines.filter((line) => /dropp/.test(line.message));
      console.log(
        `[cluster] buffer of 50 while Redis was paused: ${publisher.stats.dropped} of 200 dropped; log: ${dropLines.map((l) => l.message).join(' | ')}`,
      );
      expect(publisher.stats).toMatchObject({ published: 50, dropped: 150, buffered: 0 });
      // One warning when dropping starts, one summary when the burst is over.
      expect(dropLines).toHaveLength(2);
    } finally {
      await redis.client('UNPAUSE');
      await publisher.stop();
      await leadership.stop();
    }
  }, 30_000);

  it('stopped while a batch is on its way: what waits behind it is dropped, the batch counted once when it lands', async () => {
    const keys = freshKeys('stop-in-flight');
    const own = await connections.open();
    const leadership = new AmiLeadership({ redis: own, keys, leaseTtl: 60_000 });
    // One call at a time: the second event waits behind the first batch instead of going in its own.
    const publisher = new AmiEventPublisher({ redis: own, keys, leadership, pipeline: 1 });
    leadership.start();
    await nextEmission<number>((l) => leadership.on('elected', l));
    try {
      await redis.client('PAUSE', 5_000, 'WRITE');
      publisher.publish({ Event: 'Tick', Seq: '1' });
      // The batch goes in the next turn of the event loop, and waits in Redis.
      await new Promise((resolve) => setImmediate(resolve));
      publisher.publish({ Event: 'Tick', Seq: '2' });
      await publisher.stop(0);
      expect(publisher.stats).toMatchObject({ published: 0, dropped: 1, buffered: 1 });
      await redis.client('UNPAUSE');
      await waitFor('the batch answered', async () => (publisher.stats.buffered === 0 ? true : undefined));
      const entries = await readStream(redis, keys.events);
      expect(entries.map((entry) => entry.event.Seq)).toEqual(['1']);
      expect(publisher.stats).toMatchObject({ published: 1, dropped: 1, buffered: 0 });
    } finally {
      await redis.client('UNPAUSE');
      await publisher.stop();
      await leadership.stop();
    }
  }, 30_000);
});
