import { SampleProcess } from '../../e2e/sample/support/sample-process.js';
import { EventStream, type StreamedEvent } from '../../unit/sample/wallboard/support/event-stream.js';
import { redisTarget } from '../support/redis-server.js';

// Cluster mode: each replica of the sample serves its own wallboard from its own live state, fed by the
// events its `every` reader delivers. A call placed through one replica is on every replica's page.

const dataOf = (event: StreamedEvent) => event.data as Record<string, unknown>;
const isCall = (id: string, kind: string) => (event: StreamedEvent) =>
  event.type === 'change' &&
  dataOf(event).entity === 'call' &&
  dataOf(event).kind === kind &&
  dataOf(event).id === id;

describe('the wallboard of two sample replicas in cluster mode', () => {
  const replicas: SampleProcess[] = [];
  const streams: EventStream[] = [];

  beforeAll(async () => {
    const environment = { REDIS_URL: redisTarget.url, AMI_CLUSTER_GROUP: `wallboard-${Date.now()}` };
    const started = await Promise.allSettled([1, 2].map(() => SampleProcess.start(30_000, environment)));
    for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }, 40_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
  }, 20_000);

  it('shows a call placed through one replica on both pages, then its end and its log entry', async () => {
    for (const replica of replicas) {
      const stream = await EventStream.open(`${replica.url}/wallboard/events`);
      streams.push(stream);
      await stream.next((event) => event.type === 'snapshot');
    }
    // Local/100@test answers, waits one second and hangs up.
    const placed = await (replicas[1] as SampleProcess).post<{ uniqueid: string; response: string }>(
      '/calls',
      {
        channel: 'Local/100@test',
        context: 'test',
        exten: 'answer',
      },
    );
    expect(placed).toMatchObject({ status: 201, body: { response: 'Success' } });
    const id = placed.body.uniqueid;
    for (const stream of streams) {
      await stream.next(isCall(id, 'added'));
      await stream.next(isCall(id, 'removed'));
      const finished = await stream.next((event) => event.type === 'finished' && dataOf(event).id === id);
      expect(finished.data).toMatchObject({ outcome: 'answered', cause: '16' });
    }
  }, 30_000);
});
