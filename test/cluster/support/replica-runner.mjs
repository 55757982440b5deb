// One replica for the cluster tests, as its own process (forked by replicas.ts): the built package's
// leadership, publisher and relay on a real Redis. Its event source emits one Tick event every TICK_MS
// through the relay, so only the leader's ticks reach the stream. Talks to the test over IPC.
//
// env: REDIS_URL, GROUP, LEASE_TTL (ms), TICK_MS.  IPC out: ready, elected, deposed, stats.  IPC in: stats, stop.
import { clusterKeys } from '../../../dist/cluster/cluster-keys.js';
import { AmiEventPublisher } from '../../../dist/cluster/event-publisher.js';
import { relayEvents } from '../../../dist/cluster/event-relay.js';
import { AmiLeadership } from '../../../dist/cluster/leadership.js';
import { connectRedis } from '../../../dist/cluster/redis-connection.js';

const send = (message) => process.connected && process.send(message);
const keys = clusterKeys(process.env.GROUP, 'default');
const connection = await connectRedis(process.env.REDIS_URL);
const leadership = new AmiLeadership({
  redis: connection.redis,
  keys,
  leaseTtl: Number(process.env.LEASE_TTL),
});
const publisher = new AmiEventPublisher({ redis: connection.redis, keys, leadership });

const listeners = new Set();
const source = {
  onEvent: (_name, listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
relayEvents(source, leadership, publisher);
let seq = 0;
const ticker = setInterval(
  () => {
    const event = { Event: 'Tick', Seq: String(++seq), Replica: leadership.identity };
    for (const listener of listeners) listener(event, { fromAction: false });
  },
  Number(process.env.TICK_MS ?? 20),
);

leadership.on('elected', (epoch) => send({ type: 'elected', epoch, at: Date.now() }));
leadership.on('deposed', (reason) => send({ type: 'deposed', reason, at: Date.now() }));
process.on('message', async (message) => {
  if (message.type === 'stats') send({ type: 'stats', ...publisher.stats, role: leadership.role });
  if (message.type === 'stop') {
    clearInterval(ticker);
    await publisher.stop();
    await leadership.stop();
    await connection.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
leadership.start();
send({ type: 'ready', identity: leadership.identity });
