import { inspect } from 'node:util';
import { AmiClient, AmiStoppedError } from '../../../lib/client.js';
import type { AmiClusterLifecycleEvent } from '../../../lib/cluster/cluster.types.js';
import { AmiRedisError } from '../../../lib/cluster/cluster-errors.js';
import { AmiClusterNode } from '../../../lib/cluster/cluster-node.js';
import { waitFor } from '../support/stream-reader.js';
import {
  amiOptions,
  freshGroup,
  type Received,
  Replicas,
  type TestReplica,
  userEvents,
} from './node-fixture.js';

// AmiClusterNode on the real Redis and the real Asterisk 22: three replicas in one process, each with its
// own action client and Redis connection, on one group.
const replicas = new Replicas();
const plain = new AmiClient(amiOptions());

beforeAll(() => plain.connect());
afterAll(async () => {
  await replicas.stopAll();
  await plain.disconnect();
});

type Gap = Extract<AmiClusterLifecycleEvent, { kind: 'eventGap' }>;
const gapsOf = (replica: TestReplica) =>
  replica.lifecycle.filter((event): event is Gap => event.kind === 'eventGap');

/** Sends UserEvents `name` with Ticket 1..count from the plain client (another AMI session). */
async function sendUserEvents(name: string, count: number): Promise<void> {
  for (let ticket = 1; ticket <= count; ticket++) {
    await plain.send({ Action: 'UserEvent', UserEvent: name, Ticket: String(ticket) });
  }
}

/** Waits until every live replica's `every` sink has `count` UserEvents `name`. */
function everyoneSaw(name: string, count: number, live: TestReplica[]): Promise<true> {
  return waitFor(`${count} ${name} on every replica`, async () =>
    live.every((replica) => userEvents(replica.every, name).length >= count) ? true : undefined,
  );
}

const tickets = (received: readonly Received[]) => received.map((entry) => entry.event.Ticket);

describe('AmiClusterNode', () => {
  let group: string;
  let first: TestReplica;

  it('three replicas: one leader; each event once per group, on every replica, in order on the leader', async () => {
    group = freshGroup('node');
    for (const name of ['a', 'b', 'c']) await replicas.start(name, { group, leaseTtl: 1_000 });
    first = await replicas.leader();
    const epoch = first.node.epoch;
    expect(epoch).not.toBeNull();
    // The leader's gap marker: its event session is relaying. Only replicas whose `every` reader started
    // before it see it (a new replica reads from its start): 'a' started before anyone led.
    await waitFor('the first eventGap on the first replica', async () =>
      gapsOf(replicas.all[0]).some((gap) => gap.epoch === epoch) ? true : undefined,
    );
    // A new group's stream was empty: nothing was seen before, so the gap has no start.
    expect(gapsOf(replicas.all[0])[0]).toMatchObject({ from: null, epoch });
    expect(
      replicas.all.map((replica) => replica.lifecycle.filter((e) => e.kind === 'leadershipGained').length),
    ).toEqual(replicas.all.map((replica) => (replica === first ? 1 : 0)));

    await sendUserEvents('NodeTicket', 5);
    await everyoneSaw('NodeTicket', 5, replicas.all);
    // A last event, seen everywhere, after which nothing of the five can still be on its way.
    await sendUserEvents('NodeFence', 1);
    await everyoneSaw('NodeFence', 1, replicas.all);
    await waitFor('the fence through once and leader', async () => {
      const once = replicas.all.flatMap((replica) => userEvents(replica.once, 'NodeFence'));
      return once.length >= 1 && userEvents(first.leader, 'NodeFence').length === 1 ? true : undefined;
    });

    for (const replica of replicas.all) {
      expect(tickets(userEvents(replica.every, 'NodeTicket'))).toEqual(['1', '2', '3', '4', '5']);
      expect(
        userEvents(replica.every, 'NodeTicket').every((entry) => entry.delivery.delivery === 'every'),
      ).toBe(true);
    }
    // Same entry IDs on every replica: one stream.
    const ids = (replica: TestReplica) =>
      userEvents(replica.every, 'NodeTicket').map((e) => e.delivery.eventId);
    expect(ids(replicas.all[1])).toEqual(ids(replicas.all[0]));
    expect(ids(replicas.all[2])).toEqual(ids(replicas.all[0]));

    const once = replicas.all.flatMap((replica) => userEvents(replica.once, 'NodeTicket'));
    expect(tickets(once).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(
      once.every((entry) => entry.delivery.delivery === 'once' && entry.delivery.deliveryCount === 1),
    ).toBe(true);

    expect(tickets(userEvents(first.leader, 'NodeTicket'))).toEqual(['1', '2', '3', '4', '5']);
    for (const replica of replicas.all) if (replica !== first) expect(replica.leader).toEqual([]);
    expect(first.node.stats.published).toBeGreaterThanOrEqual(6);
    expect(await first.node.lag()).toEqual({ once: 0, leader: 0 });
  }, 60_000);

  it("a follower's originate() resolves with its OriginateResponse, delivered once through the stream", async () => {
    const follower = replicas.all.find((replica) => replica !== first && !replica.stopped) as TestReplica;
    expect(follower.node.role).toBe('follower');
    const answer = await follower.client.originate({
      Channel: 'Local/100@test',
      Application: 'Wait',
      Data: '1',
    });
    expect(answer.Event).toBe('OriginateResponse');
    expect(answer.Response).toBe('Success');
    const actionId = String(answer.ActionID);
    expect(actionId.startsWith(follower.client.actionIdStem)).toBe(true);

    const responses = (received: readonly Received[]) =>
      received.filter(
        (entry) => entry.event.Event === 'OriginateResponse' && entry.event.ActionID === actionId,
      );
    await sendUserEvents('OriginateFence', 1);
    await everyoneSaw('OriginateFence', 1, replicas.live());
    await waitFor('the fence through once', async () =>
      replicas.all.some((replica) => userEvents(replica.once, 'OriginateFence').length > 0)
        ? true
        : undefined,
    );
    for (const replica of replicas.live()) expect(responses(replica.every)).toHaveLength(1);
    expect(replicas.all.flatMap((replica) => responses(replica.once))).toHaveLength(1);
    expect(responses(first.leader)).toHaveLength(1);
  }, 60_000);

  it('stop() of the leader: another leads, the eventGap of its term reaches every replica', async () => {
    const before = first.node.epoch as number;
    const lastBefore = Date.now();
    await sendUserEvents('BeforeFailover', 1);
    await everyoneSaw('BeforeFailover', 1, replicas.all);
    const stoppedAt = Date.now();
    await replicas.stop(first);
    expect(first.lifecycle.at(-1)).toEqual({ kind: 'leadershipLost', reason: 'stopped' });
    const next = await replicas.leader();
    expect(next).not.toBe(first);
    const epoch = next.node.epoch as number;
    expect(epoch).toBeGreaterThan(before);
    const gaps = await waitFor('the new term’s eventGap on every replica', async () => {
      const found = replicas.live().map((replica) => gapsOf(replica).find((gap) => gap.epoch === epoch));
      return found.every((gap) => gap !== undefined) ? (found as Gap[]) : undefined;
    });
    for (const gap of gaps) expect(gap).toEqual(gaps[0]);
    const [gap] = gaps;
    expect(gap.from).not.toBeNull();
    expect(gap.from as number).toBeGreaterThanOrEqual(lastBefore - 1_000);
    expect(gap.to).toBeGreaterThanOrEqual(gap.from as number);

    // Events flow again, to the new leader's `leader` sink too, after those it inherited.
    await sendUserEvents('AfterFailover', 3);
    await everyoneSaw('AfterFailover', 3, replicas.live());
    await waitFor('the new leader’s leader sink', async () =>
      userEvents(next.leader, 'AfterFailover').length === 3 ? true : undefined,
    );
    expect(tickets(userEvents(next.leader, 'AfterFailover'))).toEqual(['1', '2', '3']);
    const firstAfter = userEvents(next.every, 'AfterFailover')[0];
    expect(
      firstAfter.delivery.eventId >
        (userEvents(next.every, 'BeforeFailover')[0] as Received).delivery.eventId,
    ).toBe(true);
    // The figures of this failover (a clean stop: the lease is given back, not waited for).
    process.stdout.write(
      `failover (stop of the leader, leaseTtl 1000 ms): new leader's login ${gap.to - stoppedAt} ms after ` +
        `stop(); gap from the last entry to the login ${gap.to - (gap.from as number)} ms\n`,
    );
  }, 60_000);

  it('a wrong Redis URL: start() rejects with AmiRedisError, no password in it', async () => {
    const client = new AmiClient(amiOptions());
    const node = new AmiClusterNode({
      connection: 'default',
      client,
      clientOptions: amiOptions(),
      cluster: { redis: 'redis://:s3cret-pw@127.0.0.1:1', group: freshGroup('bad') },
      sinks: { every: () => undefined },
    });
    let error: unknown;
    try {
      await node.start();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AmiRedisError);
    const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
    expect(text).toContain('Redis');
    expect(text).not.toContain('s3cret-pw');
    expect(node.role).toBe('follower');
    await node.stop();
  }, 30_000);

  it('start() after stop() rejects with AmiStoppedError: a stopped node does not come back', async () => {
    const replica = await replicas.start('restart', { group: freshGroup('restart'), leaseTtl: 1_000 });
    await waitFor('the node to lead', async () => (replica.node.role === 'leader' ? true : undefined));
    await replicas.stop(replica);
    expect(replica.node.role).toBe('follower');
    const again = replica.node.start();
    await expect(again).rejects.toBeInstanceOf(AmiStoppedError);
    await expect(again).rejects.toThrow(/start\(\) after stop\(\)/);
    expect(replica.node.role).toBe('follower');
    expect(await replica.node.leader()).toBeNull();
  }, 30_000);
});
