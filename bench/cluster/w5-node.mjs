// One process of W5 (cluster mode): an AmiClusterNode from the built package, as an app would run it.
// No process has an `every` sink (so none runs the `every` reader: Redis serves each entry to the `once`
// group only, as for an app whose handlers are all `once`). The leader process has no `once` sink (it
// only publishes); the replica processes' `once` sinks count each event by type and note its stream ID and the time the sink
// started (ms since the Unix epoch, sub-ms), so the orchestrator can check each event was handled once
// and join those times with the stream entries' `at` (the leader's receipt).
// Started by bench/cluster/w5-cluster.mjs with its parameters as JSON in argv[2]; talks over IPC.
import { pathToFileURL } from 'node:url';
import { peakRssBytes } from '../support/child.mjs';
import { clientEntry } from '../support/client-entry.mjs';

const params = JSON.parse(process.argv[2]);
const { AmiClient, AmiClusterNode } = await import(pathToFileURL(clientEntry(params.dist)).href);

const wallNow = () => performance.timeOrigin + performance.now();
const perType = Object.create(null);
const ids = [];
const startedAt = [];
let hangups = 0;
let lastHandledAt = 0;

const ami = { host: '127.0.0.1', port: params.port, secret: 'bench', keepAlive: false };
const client = new AmiClient({ ...ami, username: 'w5-actions', reconnect: false });
await client.connect();
const warnings = [];
const node = new AmiClusterNode({
  connection: 'pbx',
  client,
  clientOptions: { ...ami, username: 'w5-events' },
  cluster: { redis: params.redisUrl, group: params.group, ...params.cluster },
  logger: {
    log: () => undefined,
    warn: (message) => warnings.push(String(message)),
    error: (message) => warnings.push(String(message)),
    debug: () => undefined,
    verbose: () => undefined,
  },
  sinks: {
    ...(params.role === 'replica'
      ? {
          once: (event, delivery) => {
            const now = wallNow();
            ids.push(delivery.eventId);
            startedAt.push(now);
            lastHandledAt = now;
            perType[event.Event] = (perType[event.Event] ?? 0) + 1;
            if (event.Event === 'Hangup' && event['Cause-txt'] === 'Normal Clearing') hangups += 1;
          },
        }
      : {}),
  },
});
await node.start();
if (params.role === 'leader') {
  while (node.role !== 'leader') await new Promise((resolve) => setTimeout(resolve, 10));
}
// The orchestrator gone (killed on its timeout): no orphan keeps the lease or the sockets.
process.on('disconnect', () => process.exit(1));
process.send({ type: 'ready', role: node.role, replicaId: node.replicaId });

const cpuMs = ({ user, system }) => Math.round((user + system) / 1000);

process.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  const report = {
    type: 'report',
    role: node.role,
    perType,
    hangups,
    ids,
    startedAt,
    lastHandledAt,
    stats: node.stats,
    cpuMs: cpuMs(process.cpuUsage()),
    rssBytes: process.memoryUsage().rss,
    peakRssBytes: peakRssBytes(),
    warnings: warnings.slice(0, 5),
  };
  // The figures are taken before stop(); the orchestrator deletes the keys once this process exited.
  await node.stop(5_000);
  await client.disconnect().catch(() => client.destroy());
  process.send(report, () => process.exit(0));
});
