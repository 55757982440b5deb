import type { AmiClusterLifecycleEvent } from '../../../lib/cluster/cluster.types.js';
import { waitFor } from '../support/stream-reader.js';
import { freshGroup, Replicas, type TestReplica } from './node-fixture.js';

// The clean handover with the default lease (5 s): the leader stops and gives the lease back; how long
// until a follower's event session is logged in (the `to` of its eventGap). Figures printed, not asserted
// (speed is not a test's business): the guarantee is tested in leadership.cluster-spec.ts.
const replicas = new Replicas();
afterAll(() => replicas.stopAll());

type Gap = Extract<AmiClusterLifecycleEvent, { kind: 'eventGap' }>;

it('a clean stop of the leader hands over to a follower; figures printed', async () => {
  const group = freshGroup('handover');
  for (const name of ['h1', 'h2', 'h3', 'h4']) await replicas.start(name, { group }, { once: true });
  const figures: number[] = [];
  for (let round = 0; round < 3; round++) {
    const leader = await replicas.leader();
    const epoch = leader.node.epoch as number;
    const stoppedAt = Date.now();
    await replicas.stop(leader);
    const next: TestReplica = await replicas.leader();
    const gap = await waitFor('the new term’s eventGap', async () =>
      next.lifecycle.find((event): event is Gap => event.kind === 'eventGap' && event.epoch > epoch),
    );
    figures.push(gap.to - stoppedAt);
  }
  process.stdout.write(
    `clean handover (leaseTtl 5000 ms): new leader's login ${figures.join(', ')} ms after the old leader's stop()\n`,
  );
  expect(figures).toHaveLength(3);
}, 60_000);
