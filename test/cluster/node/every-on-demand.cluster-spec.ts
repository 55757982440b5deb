import type { Redis } from 'ioredis';
import { AmiClient, type AmiEvent } from '../../../lib/client.js';
import type { AmiClusterDelivery, AmiClusterLifecycleEvent } from '../../../lib/cluster/cluster.types.js';
import { clusterKeys } from '../../../lib/cluster/cluster-keys.js';
import { Connections } from '../support/cluster-fixture.js';
import { waitFor } from '../support/stream-reader.js';
import { amiOptions, freshGroup, Replicas, type TestReplica } from './node-fixture.js';

// Replicas with no `every` sink run no `every` reader (Redis serves the events stream to nobody but the
// groups), still learn of every gap, and start the reader on demand, from the stream's end then.
const replicas = new Replicas();
const connections = new Connections();
const plain = new AmiClient(amiOptions());
let redis: Redis;

beforeAll(async () => {
  redis = await connections.open();
  await plain.connect();
});
afterAll(async () => {
  await replicas.stopAll();
  await plain.disconnect();
  await connections.closeAll();
});

type Gap = Extract<AmiClusterLifecycleEvent, { kind: 'eventGap' }>;
const gapsOf = (replica: TestReplica) =>
  replica.lifecycle.filter((event): event is Gap => event.kind === 'eventGap');

async function userEvent(name: string, ticket: number): Promise<void> {
  await plain.send({ Action: 'UserEvent', UserEvent: name, Ticket: String(ticket) });
}

/** Whether the stream holds a UserEvent `name` (the leader published it). */
async function inStream(stream: string, name: string): Promise<true | undefined> {
  const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
  return entries.some(([, fields]) => fields.some((value) => value.includes(`UserEvent: ${name}\r\n`)))
    ? true
    : undefined;
}

describe('the every reader on demand', () => {
  it('no every sink: no reader, yet the eventGap of each term reaches every replica', async () => {
    const group = freshGroup('lazy');
    const none = { once: false, leader: false, every: false };
    const a = await replicas.start('a', { group, leaseTtl: 1_000 }, none);
    const b = await replicas.start('b', { group, leaseTtl: 1_000 }, none);
    const c = await replicas.start('c', { group, leaseTtl: 1_000 }, none);
    const leader = await replicas.leader();
    const epoch = leader.node.epoch as number;
    // The first term's gap: seen by the replicas watching before it was written ('a' started first).
    await waitFor('the first eventGap on a', async () =>
      gapsOf(a).some((gap) => gap.epoch === epoch) ? true : undefined,
    );
    expect(gapsOf(a)[0]).toMatchObject({ from: null, epoch });
    const { events } = clusterKeys(group, 'default');
    await userEvent('LazyBefore', 1);
    await waitFor('LazyBefore in the stream', () => inStream(events, 'LazyBefore'));
    // Nothing read the events stream on either replica: no reader delivered anything.
    expect([a, b, c].map((replica) => replica.node.stats.delivered)).toEqual([0, 0, 0]);

    // Started on demand: from the stream's end at that moment.
    const reader = [a, b, c].find((replica) => replica !== leader) as TestReplica;
    const seen: [AmiEvent, AmiClusterDelivery][] = [];
    await reader.node.readEvery((event, delivery) => {
      seen.push([event, delivery]);
    });
    await userEvent('LazyAfter', 1);
    await userEvent('LazyAfter', 2);
    await waitFor('LazyAfter on the reader', async () =>
      seen.filter(([event]) => event.UserEvent === 'LazyAfter').length === 2 ? true : undefined,
    );
    const names = seen.filter(([event]) => event.Event === 'UserEvent').map(([event]) => event.UserEvent);
    expect(names).toEqual(['LazyAfter', 'LazyAfter']);
    expect(seen.every(([, delivery]) => delivery.delivery === 'every')).toBe(true);
    expect(leader.node.stats.delivered).toBe(0);

    // A new term: its gap reaches every live replica, the one reading every event and those reading none.
    await replicas.stop(leader);
    const next = await replicas.leader();
    const nextEpoch = next.node.epoch as number;
    expect(nextEpoch).toBeGreaterThan(epoch);
    const gaps = await waitFor('the new term’s eventGap on every live replica', async () => {
      const found = replicas.live().map((replica) => gapsOf(replica).find((gap) => gap.epoch === nextEpoch));
      return found.every((gap) => gap !== undefined) ? (found as Gap[]) : undefined;
    });
    expect(replicas.live()).toHaveLength(2);
    for (const gap of gaps) expect(gap).toEqual(gaps[0]);
    expect(gaps[0].from).not.toBeNull();
    const idle = [a, b, c].find((replica) => replica !== leader && replica !== reader) as TestReplica;
    expect(idle.node.stats.delivered).toBe(0);
  }, 60_000);
});
