import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import { SampleProcess } from '../../e2e/sample/support/sample-process.js';
import { redisTarget } from '../support/redis-server.js';

// Three replicas of the sample app (sample/dist/main.js, `npm run build:sample`), each its own process,
// one Redis, one Asterisk: one leader holds the event session, a follower originates, and each call is
// logged by exactly one replica (the call log takes `leader` deliveries).

/** What GET /health's AMI indicator adds in cluster mode (AmiService.cluster). */
interface ClusterStatus {
  role: 'leader' | 'follower';
  /** The lease holder's replica id, read from Redis. */
  leader: string | null;
  /** Stream entries not yet acknowledged by the group's consumers. */
  lag: { once: number; leader: number };
}

interface Health {
  details: { ami?: ClusterStatus };
}

const CALLS = 3;

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const clusterStatus = async (replica: SampleProcess) =>
  (await replica.get<Health>('/health')).body.details.ami;

describe('three replicas of the sample in cluster mode', () => {
  const replicas: SampleProcess[] = [];

  beforeAll(async () => {
    // A group of its own: nothing left in Redis by an earlier run is read as this run's.
    const environment = { REDIS_URL: redisTarget.url, AMI_CLUSTER_GROUP: `replicas-${Date.now()}` };
    const started = await Promise.allSettled([1, 2, 3].map(() => SampleProcess.start(30_000, environment)));
    for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }, 40_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
  }, 20_000);

  it('elects one leader, originates on a follower, and logs each call once across the replicas', async () => {
    const statuses = await waitFor(async () => {
      const all = await Promise.all(replicas.map(clusterStatus));
      const leaders = all.filter((status) => status?.role === 'leader');
      const named = new Set(all.map((status) => status?.leader));
      return leaders.length === 1 && named.size === 1 && !named.has(null) && !named.has(undefined)
        ? all
        : undefined;
    }, 'one leader, the same one named by every replica');
    const followers = replicas.filter((_, index) => statuses[index]?.role === 'follower');
    expect(followers).toHaveLength(2);

    // Local/100@test answers, waits one second and hangs up: two Hangups per call.
    const placed = await Promise.all(
      Array.from({ length: CALLS }, (_, index) =>
        (followers[index % 2] as SampleProcess).post<{ uniqueid: string; response: string }>('/calls', {
          channel: 'Local/100@test',
          context: 'test',
          exten: 'answer',
        }),
      ),
    );
    for (const answer of placed) expect(answer).toMatchObject({ status: 201, body: { response: 'Success' } });
    const ids = placed.map((answer) => answer.body.uniqueid).sort();

    const ourCalls = async () => {
      const logs = await Promise.all(
        replicas.map(async (replica) => (await replica.get<FinishedCall[]>('/calls')).body),
      );
      return logs.flat().filter((call) => ids.includes(call.id));
    };
    await waitFor(async () => {
      const ours = await ourCalls();
      return ids.every((id) => ours.some((call) => call.id === id)) ? ours : undefined;
    }, 'every call in one of the call logs');
    // Then nothing left for the leader consumer to hand out: a duplicate would be in the logs by now.
    await waitFor(
      async () => ((await clusterStatus(replicas[0] as SampleProcess))?.lag.leader === 0 ? true : undefined),
      "the group's leader lag at 0",
    );
    const logged = await ourCalls();
    expect(logged.map((call) => call.id).sort()).toEqual(ids);
    for (const call of logged) expect(call).toMatchObject({ cause: 16, causeText: 'Normal Clearing' });
  }, 45_000);
});
