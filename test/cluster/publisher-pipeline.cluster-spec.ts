import type { Redis } from 'ioredis';
import { eventFrame } from '../../lib/cluster/event-frames.js';
import { AmiEventPublisher } from '../../lib/cluster/event-publisher.js';
import { AmiLeadership } from '../../lib/cluster/leadership.js';
import { publishEvents, readPublishOutcome } from '../../lib/cluster/publish-script.js';
import { decodeStreamEntry } from '../../lib/cluster/stream-entry.js';
import { Connections, freshKeys, nextEmission, recordingLogger } from './support/cluster-fixture.js';
import { readStream, waitFor } from './support/stream-reader.js';

// The publisher with several script calls on their way, on the real Redis: a backlog keeps its order,
// stays fenced, and is bounded by bytes (not by bufferLimit) while Redis answers.
const connections = new Connections();
let redis: Redis;

beforeAll(async () => {
  redis = await connections.open();
});
afterAll(() => connections.closeAll());

async function leading(keys: ReturnType<typeof freshKeys>) {
  const own = await connections.open();
  const leadership = new AmiLeadership({ redis: own, keys, leaseTtl: 60_000 });
  const elected = nextEmission<number>((l) => leadership.on('elected', l));
  leadership.start();
  await elected;
  return { own, leadership };
}

const tick = (seq: number) => ({ Event: 'Tick', Seq: String(seq) });

describe('the pipelined publisher', () => {
  it('a backlog far past bufferLimit while Redis answers: nothing dropped, each event once, in order', async () => {
    const keys = freshKeys('backlog');
    const { own, leadership } = await leading(keys);
    const publisher = new AmiEventPublisher({
      redis: own,
      keys,
      leadership,
      bufferLimit: 100,
      batchLimit: 50,
      pipeline: 4,
    });
    try {
      // One synchronous burst: 5,000 events wait at once, 50 times bufferLimit.
      for (let seq = 1; seq <= 5_000; seq++) publisher.publish(tick(seq));
      expect(publisher.stats).toMatchObject({ buffered: 5_000, dropped: 0 });
      await publisher.idle();
      const seqs = (await readStream(redis, keys.events)).map((entry) => Number(entry.event.Seq));
      expect(seqs).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
      expect(publisher.stats).toMatchObject({ published: 5_000, dropped: 0, refused: 0, buffered: 0 });
    } finally {
      await publisher.stop();
      await leadership.stop();
    }
  }, 30_000);

  it('bufferBytes bounds what waits while Redis answers: the excess dropped, counted, logged once', async () => {
    const keys = freshKeys('bytes');
    const { own, leadership } = await leading(keys);
    const { logger, lines } = recordingLogger();
    const size = Buffer.byteLength(eventFrame(tick(100)));
    const publisher = new AmiEventPublisher({
      redis: own,
      keys,
      leadership,
      bufferBytes: size * 50,
      logger,
    });
    try {
      for (let seq = 100; seq < 300; seq++) publisher.publish(tick(seq));
      expect(publisher.stats).toMatchObject({ buffered: 50, dropped: 150 });
      await publisher.idle();
      const seqs = (await readStream(redis, keys.events)).map((entry) => Number(entry.event.Seq));
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 100));
      const dropLines = lines.filter((line) => /dropp/.test(line.message));
      // One warning when dropping starts, one summary when the backlog is gone.
      expect(dropLines).toHaveLength(2);
      expect(dropLines[0].message).toMatch(/slower than they come/);
    } finally {
      await publisher.stop();
      await leadership.stop();
    }
  }, 30_000);

  it('the lease taken away under a backlog: calls on their way refused, the stream an unbroken prefix', async () => {
    const keys = freshKeys('steal');
    const { own, leadership } = await leading(keys);
    const publisher = new AmiEventPublisher({ redis: own, keys, leadership, batchLimit: 20, pipeline: 4 });
    try {
      for (let seq = 1; seq <= 20_000; seq++) publisher.publish(tick(seq));
      await waitFor('some batches appended', async () => (publisher.stats.published > 0 ? true : undefined));
      await redis.set(keys.lease, 'another-replica');
      await waitFor('a batch refused', async () => (publisher.stats.refused > 0 ? true : undefined));
      const { published } = publisher.stats;
      const seqs = (await readStream(redis, keys.events)).map((entry) => Number(entry.event.Seq));
      expect(published).toBeLessThan(20_000);
      expect(seqs).toEqual(Array.from({ length: published }, (_, i) => i + 1));
      // Nothing lands later either: every call after the theft is refused.
      await publisher.stop(0);
      await waitFor('the calls on their way answered', async () =>
        publisher.stats.buffered === 0 ? true : undefined,
      );
      expect((await readStream(redis, keys.events)).length).toBe(published);
    } finally {
      await publisher.stop();
      await leadership.stop();
    }
  }, 30_000);

  it('the script: a batch sent again is recognised, one whose predecessor is missing appends nothing', async () => {
    const keys = freshKeys('chain');
    const { own, leadership } = await leading(keys);
    try {
      const hold = leadership.current();
      if (hold === null) throw new Error('not leading');
      const run = async (previous: string, tag: string, seq: number) =>
        readPublishOutcome(
          await publishEvents.run(
            own,
            [keys.lease, keys.events, keys.gaps],
            [hold.token, hold.epoch, 1_000, '', previous, tag, String(Date.now()), eventFrame(tick(seq))],
          ),
        );
      const tag = (n: number, publisher = 'a1') => `${publisher}:${hold.epoch}:${n}`;
      const first = await run('', tag(1), 1);
      expect(first.kind).toBe('appended');
      // Its reply lost, it is sent again: recognised, not appended twice.
      expect(await run('', tag(1), 1)).toEqual({
        kind: 'already',
        lastId: (first as { lastId: string }).lastId,
      });
      // Another publisher's batch with the same epoch and number (epochs restart after Redis lost its keys)
      // is not taken for this one's: it follows the chain or is refused, never counted as landed.
      expect((await run('', tag(1, 'b2'), 1)).kind).toBe('appended');
      expect((await run(tag(1), tag(2), 2)).kind).toBe('unexpected-last');
      expect((await run(tag(1, 'b2'), tag(2), 2)).kind).toBe('appended');
      // A batch whose predecessor (tag 3) never landed: nothing appended, no hole.
      expect((await run(tag(3), tag(4), 4)).kind).toBe('unexpected-last');
      expect((await run(tag(2), tag(3), 3)).kind).toBe('appended');
      expect((await run(tag(3), tag(4), 4)).kind).toBe('appended');
      const seqs = (await readStream(redis, keys.events)).map((entry) => entry.event.Seq);
      expect(seqs).toEqual(['1', '1', '2', '3', '4']);
    } finally {
      await leadership.stop();
    }
  }, 30_000);
  it('packs a burst into entries of packLimit events; a gap marker stands alone; names outside Latin-1 intact', async () => {
    const keys = freshKeys('pack');
    const { own, leadership } = await leading(keys);
    const publisher = new AmiEventPublisher({ redis: own, keys, leadership, packLimit: 4 });
    const named = (seq: number) => ({
      ...tick(seq),
      CallerIDName: seq % 3 === 0 ? 'Nowak Łukasz' : 'Müller',
    });
    try {
      for (let seq = 1; seq <= 6; seq++) publisher.publish(named(seq), 1_000 + seq);
      publisher.publishGap(2_000);
      for (let seq = 7; seq <= 9; seq++) publisher.publish(named(seq), 2_000 + seq);
      await publisher.idle();
      const raw = (await redis.xrange(keys.events, '-', '+')) as [string, string[]][];
      const shape = raw.map(([, fields]) => {
        const at = fields[fields.indexOf('at') + 1];
        if (fields.includes('gap')) return `gap ${fields[fields.indexOf('gap') + 1]}`;
        return `${fields.includes('frames') ? 'frames' : 'other'} ${at}`;
      });
      expect(shape).toEqual([
        'frames 1001,1002,1003,1004',
        'frames 1005,1006',
        `gap {"from":1006,"to":2000,"epoch":${await redis.get(keys.epoch)}}`,
        'frames 2007,2008,2009',
      ]);
      const events = raw.flatMap(([id, fields]) => decodeStreamEntry(id, fields) ?? []);
      expect(events.map((entry) => entry.event)).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8, 9].map((seq) => named(seq)),
      );
      expect(events.map((entry) => entry.receivedAt)).toEqual([
        1001, 1002, 1003, 1004, 1005, 1006, 2007, 2008, 2009,
      ]);
      expect(events.slice(0, 4).map((entry) => entry.id)).toEqual(
        [0, 1, 2, 3].map((i) => `${raw[0][0]}#${i}`),
      );
      expect(publisher.stats).toMatchObject({ published: 10, dropped: 0 }); // the gap marker counts
    } finally {
      await publisher.stop();
      await leadership.stop();
    }
  }, 30_000);
});
