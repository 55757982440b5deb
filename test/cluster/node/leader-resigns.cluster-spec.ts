import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { AmiClient } from '../../../lib/client.js';
import type { AmiClusterLifecycleEvent } from '../../../lib/cluster/cluster.types.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';
import { recordingLogger } from '../support/cluster-fixture.js';
import { waitFor } from '../support/stream-reader.js';
import { amiOptions, freshGroup, Replicas, type TestReplica, userEvents } from './node-fixture.js';

// A leader whose AMI event session cannot log in must not keep the lease (the group would be deaf): it
// resigns, logs why, and keeps away for a while so another replica leads. Real Redis, real Asterisk 22:
// Asterisk itself refuses the event session's login (a wrong secret for that session only).
const replicas = new Replicas();
const plain = new AmiClient(amiOptions());
const WRONG_SECRET = 'not-the-secret-4f1c';

beforeAll(() => plain.connect());
afterAll(async () => {
  await replicas.stopAll();
  await plain.disconnect();
});

const kinds = (replica: TestReplica) => replica.lifecycle.map((event) => event.kind);
const lost = (replica: TestReplica) =>
  replica.lifecycle.filter(
    (event): event is Extract<AmiClusterLifecycleEvent, { kind: 'leadershipLost' }> =>
      event.kind === 'leadershipLost',
  );

describe('a leader whose event session cannot log in', () => {
  it('resigns at once when Asterisk refuses the login, and another replica leads and relays', async () => {
    const group = freshGroup('deaf');
    const { lines, logger } = recordingLogger();
    const deaf = await replicas.start(
      'deaf',
      { group, leaseTtl: 1_000 },
      { once: true },
      { eventSession: { secret: WRONG_SECRET, reconnect: false }, logger },
    );
    // Alone in the group, it takes the lease first; Asterisk refuses its event session: it resigns.
    await waitFor('the deaf replica resigned', async () => (lost(deaf).length > 0 ? true : undefined));
    expect(kinds(deaf).slice(0, 2)).toEqual(['leadershipGained', 'leadershipLost']);
    expect(lost(deaf)[0].reason).toBe('resigned');
    const resignation = lines.find((line) => line.message.includes('resigns the leadership'))?.message;
    expect(resignation).toMatch(
      /event session could not log in: .*; it will not try to lead again for 1000 ms/,
    );
    for (const { message } of lines) {
      expect(message).not.toContain(WRONG_SECRET);
      expect(message).not.toContain(asterisk.secret);
    }

    const healthy = await replicas.start('healthy', { group, leaseTtl: 1_000 }, { once: true });
    await waitFor('the healthy replica leads', async () =>
      healthy.node.role === 'leader' ? true : undefined,
    );
    await waitFor('the healthy leader relays', async () => {
      await plain.send({ Action: 'UserEvent', UserEvent: 'ResignProbe' });
      return userEvents(deaf.every, 'ResignProbe').length > 0 &&
        userEvents(healthy.every, 'ResignProbe').length > 0
        ? true
        : undefined;
    });
    // The healthy leader keeps the lease: the deaf one's attempts after its backoff find it held.
    expect(healthy.node.role).toBe('leader');
    expect(kinds(healthy).filter((kind) => kind !== 'eventGap')).toEqual(['leadershipGained']);
  }, 30_000);

  it('alone, takes the lease again only after a backoff that doubles at each resignation in a row', async () => {
    const group = freshGroup('deaf-alone');
    const deaf = await replicas.start(
      'deaf-alone',
      { group, leaseTtl: 400 },
      { once: true },
      { eventSession: { secret: WRONG_SECRET, reconnect: false } },
    );
    await waitFor('three terms', async () => (lost(deaf).length >= 3 ? true : undefined), 15_000);
    await replicas.stop(deaf);
    const times = (kind: string) =>
      deaf.lifecycle.flatMap((event, index) => (event.kind === kind ? [deaf.lifecycleAt[index]] : []));
    const gained = times('leadershipGained');
    const losses = times('leadershipLost');
    expect(
      lost(deaf)
        .slice(0, 3)
        .map((event) => event.reason),
    ).toEqual(['resigned', 'resigned', 'resigned']);
    // Backoffs 400 then 800 ms (the lease's length, doubled); the timers may fire a little early.
    const waited = [gained[1] - losses[0], gained[2] - losses[1]];
    console.log(
      `deaf replica alone: waited ${waited.map((ms) => ms.toFixed(0)).join(' ms, ')} ms before leading again`,
    );
    expect(waited[0]).toBeGreaterThanOrEqual(400 - 5);
    expect(waited[1]).toBeGreaterThanOrEqual(800 - 5);
  }, 30_000);

  it('resigns when its event session stays logged out past eventSessionTimeout (connection refused, retried)', async () => {
    // A port nothing listens on: each attempt is refused and retried (a PBX out of this replica's reach).
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const group = freshGroup('mute');
    const { lines, logger } = recordingLogger();
    const mute = await replicas.start(
      'mute',
      { group, leaseTtl: 1_000, eventSessionTimeout: 1_500 },
      { once: true },
      { eventSession: { port, reconnect: { initialDelay: 50, maxDelay: 100 } }, logger },
    );
    await waitFor('the mute replica resigned', async () => (lost(mute).length > 0 ? true : undefined));
    expect(lost(mute)[0].reason).toBe('resigned');
    expect(lines.find((line) => line.message.includes('resigns the leadership'))?.message).toMatch(
      /was not logged in within 1500 ms \(last error: .+\)/,
    );
    const healthy = await replicas.start('healthy2', { group, leaseTtl: 1_000 }, { once: true });
    await waitFor('the healthy replica leads', async () =>
      healthy.node.role === 'leader' ? true : undefined,
    );
  }, 30_000);
});
