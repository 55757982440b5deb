// W5: the W1 storm through cluster mode (issue 16). Run by bench/run.mjs as the `cluster` side of
// workload w5, in its own process; it starts, for each phase, a fresh cluster (its own group, so its own
// keys) of four processes (bench/cluster/w5-node.mjs): a leader whose AmiClusterNode holds the event
// session with the fake AMI server and publishes to Redis, and three replicas whose `once` sinks count.
//
//   npm run build && REDIS_PORT=6396 bash scripts/redis.sh start
//   REDIS_PORT=6396 node bench/run.mjs --only w4,w5 --runs 3     (W5 needs Redis: not in the default list)
//   Redis: REDIS_URL, else redis://127.0.0.1:$REDIS_PORT (default 6390). Options: --w5-rate 10000
//   (paced phase, events/s) --w5-paced-events 50000; the throughput phase streams --events.
//
// Phases:
//   throughput  the whole storm as fast as the socket takes it; events/s from the BenchStorm request to
//               the last `once` sink start. The publisher's bufferBytes is raised to 1 GiB for this phase
//               only: the leader parses the storm (104 MiB of AMI) faster than Redis appends it, and with
//               the default 64 MiB of waiting JSON it would drop events, by design, and say so.
//   paced       --w5-paced-events events at --w5-rate events/s, cluster options left at their defaults;
//               latency of each event from the leader's receipt (the stream entry's `at`, whole ms, so up
//               to 1 ms pessimistic) to its `once` sink starting (same host clock).
// Both assert exact counts: every event of the storm and the sentinel handled once in total over the
// three replicas (per type, the Hangup filter, and no stream ID twice). The leader session's FullyBooted
// arrives before its gap marker is queued, so it is in no stream (as designed: it falls in the gap).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { assert, percentile, runChild } from '../support/child.mjs';
import { clientEntry } from '../support/client-entry.mjs';
import { SENTINEL_EVENT, SENTINEL_NAME } from '../support/sentinel.mjs';

const NODE_SCRIPT = fileURLToPath(new URL('./w5-node.mjs', import.meta.url));
const REPLICAS = 3;

async function w5(params) {
  const redisUrl = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6390}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    return { unavailable: `no Redis at ${redisUrl} (${error.message}): scripts/redis.sh start` };
  }
  const { AmiClient } = await import(pathToFileURL(clientEntry(params.dist)).href);
  const { clusterKeys } = await import(pathToFileURL(`${params.dist}/cluster/cluster-keys.js`).href);
  // The session that asks the fake server for the storm (its close is the run's `closed` report).
  const trigger = new AmiClient({
    host: '127.0.0.1',
    port: params.port,
    username: 'trigger-w5',
    secret: 'bench',
    keepAlive: false,
    reconnect: false,
  });
  await trigger.connect();
  const context = { params, redis, redisUrl, trigger, clusterKeys };
  try {
    const throughput = await phase(context, {
      events: params.events,
      rate: 0,
      cluster: { bufferBytes: 1024 ** 3, retention: params.events + 10 },
    });
    const paced = await phase(context, { events: params.w5PacedEvents, rate: params.w5Rate, cluster: {} });
    return {
      eventsPerSecond: throughput.eventsPerSecond,
      p50Ms: paced.p50Ms,
      p99Ms: paced.p99Ms,
      maxMs: paced.maxMs,
      throughput,
      paced,
    };
  } finally {
    await trigger.disconnect();
    await redis.quit();
  }
}

async function phase({ params, redis, redisUrl, trigger, clusterKeys }, { events, rate, cluster }) {
  const group = `w5-${randomBytes(4).toString('hex')}`;
  const keys = clusterKeys(group, 'pbx');
  const base = { dist: params.dist, port: params.port, redisUrl, group, cluster };
  const children = [];
  try {
    const leader = await startNode({ ...base, role: 'leader' }, children);
    assert(leader.role === 'leader', `the first node is ${leader.role}`);
    // The leader's event session is logged in once its gap marker is in the stream.
    await until(async () => (await redis.xlen(keys.events)) >= 1, 10_000, 'the gap marker');
    for (let i = 0; i < REPLICAS; i++) await startNode({ ...base, role: 'replica' }, children);

    const redisCpuBefore = await redisCpuMs(redis);
    const started = performance.timeOrigin + performance.now();
    const answer = await trigger.send({
      Action: 'BenchStorm',
      Target: 'w5-events',
      Events: String(events),
      Rate: String(rate),
    });
    assert(answer.Sessions === '1', `the storm went to ${answer.Sessions} event sessions, expected 1`);
    // The event session's FullyBooted comes before its gap marker is queued: not relayed, by design.
    const expected = { ...JSON.parse(answer.PerType), [SENTINEL_EVENT]: 1 };
    const total = Object.values(expected).reduce((sum, n) => sum + n, 0);
    // Done: the stream's last entry holds the storm's last event (the sentinel), the once group read
    // every entry and holds none pending; or nothing new for 2 s with nothing pending (events were lost:
    // the counts below say which, and the leader's `dropped`). Entries, not events: the leader packs a
    // burst's events into one entry.
    let lastRead = -1;
    let quietSince = performance.now();
    await until(
      async () => {
        const [fields] = await redis.call('XINFO', 'GROUPS', keys.events);
        const read = Number(fields[fields.indexOf('entries-read') + 1]);
        const pending = Number(fields[fields.indexOf('pending') + 1]);
        const lag = fields[fields.indexOf('lag') + 1];
        if (read !== lastRead) [lastRead, quietSince] = [read, performance.now()];
        if (pending !== 0) return false;
        const [last] = await redis.xrevrange(keys.events, '+', '-', 'COUNT', 1);
        const sentinelIn = last?.[1].some((value) => value.includes(SENTINEL_NAME)) === true;
        return (sentinelIn && lag !== null && Number(lag) === 0) || performance.now() - quietSince > 2_000;
      },
      params.timeoutMs / 3,
      'the once group to read and ack every event',
    );
    const redisCpuMsUsed = (await redisCpuMs(redis)) - redisCpuBefore;
    const streamLength = await redis.xlen(keys.events); // entries
    const usedMemory = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
    const latencyAt = rate > 0 ? await entryTimes(redis, keys.events) : null;

    const reports = await Promise.all(children.map(stopNode));
    children.length = 0;
    const [leaderReport, ...replicaReports] = reports;
    const perType = {};
    let hangups = 0;
    const seen = new Set();
    for (const report of replicaReports) {
      for (const [type, n] of Object.entries(report.perType)) perType[type] = (perType[type] ?? 0) + n;
      hangups += report.hangups;
      for (const id of report.ids) {
        assert(!seen.has(id), `event ${id} handled twice`);
        seen.add(id);
      }
    }
    assert(leaderReport.stats.dropped === 0, `the leader dropped ${leaderReport.stats.dropped} events`);
    for (const type of new Set([...Object.keys(expected), ...Object.keys(perType)])) {
      assert(
        perType[type] === expected[type],
        `${type}: handled ${perType[type] ?? 0}, expected ${expected[type] ?? 0}`,
      );
    }
    assert(hangups === expected.Hangup, `Hangup filter: ${hangups}, expected ${expected.Hangup}`);

    const lastHandledAt = Math.max(...replicaReports.map((report) => report.lastHandledAt));
    const result = {
      events: total,
      rate,
      eventsPerSecond: (events / (lastHandledAt - started)) * 1000,
      split: replicaReports.map((report) => report.ids.length),
      streamLength,
      redisUsedMemoryBytes: usedMemory,
      leader: memoryOf(leaderReport),
      replicas: replicaReports.map(memoryOf),
      leaderStats: leaderReport.stats,
      // CPU time of the whole process lives (leader, replicas) and of Redis during the phase: where it goes.
      cpuMs: {
        leader: leaderReport.cpuMs,
        replicas: replicaReports.map((report) => report.cpuMs),
        redis: redisCpuMsUsed,
      },
      warnings: [...new Set(reports.flatMap((report) => report.warnings))],
    };
    if (latencyAt !== null) {
      // Split at the entry ID's time (Redis's clock when the script appended it, whole ms): the
      // leader's part (parse, buffer, fenced batch) and the replicas' part (read, decode, dispatch).
      const latencies = [];
      const published = [];
      const consumed = [];
      for (const report of replicaReports) {
        report.ids.forEach((id, i) => {
          const at = latencyAt.get(id);
          if (at === undefined) return;
          const appendedAt = Number(id.slice(0, id.indexOf('-'))); // the entry ID's time
          latencies.push(report.startedAt[i] - at);
          published.push(appendedAt - at);
          consumed.push(report.startedAt[i] - appendedAt);
        });
      }
      assert(latencies.length === total, `latency of ${latencies.length} events, expected ${total}`);
      const sorted = (values) => values.sort((a, b) => a - b);
      const [all, publish, consume] = [latencies, published, consumed].map(sorted);
      Object.assign(result, {
        p50Ms: percentile(all, 0.5),
        p99Ms: percentile(all, 0.99),
        maxMs: all[all.length - 1],
        publishP50Ms: percentile(publish, 0.5),
        publishP99Ms: percentile(publish, 0.99),
        consumeP50Ms: percentile(consume, 0.5),
        consumeP99Ms: percentile(consume, 0.99),
      });
    }
    return result;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await redis.del(...new Set(Object.values(keys).filter((key) => typeof key === 'string')));
  }
}

async function redisCpuMs(redis) {
  const info = await redis.info('cpu');
  const seconds = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)[1]);
  return Math.round((seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000);
}

const memoryOf = (report) => ({ rssBytes: report.rssBytes, peakRssBytes: report.peakRssBytes });

/**
 * The leader's receipt time of every event still in the stream, by event ID: an entry's `at` holds one
 * time per event, comma-joined; the events of a packed entry have the IDs `<entry ID>#<index>`
 * (lib/cluster/stream-entry.ts).
 */
async function entryTimes(redis, stream) {
  const times = new Map();
  let start = '-';
  for (;;) {
    const entries = await redis.xrange(stream, start, '+', 'COUNT', 10_000);
    for (const [id, fields] of entries) {
      const at = fields.indexOf('at');
      if (at === -1) continue;
      if (!fields.includes('frames')) continue;
      const each = fields[at + 1].split(',');
      if (each.length === 1) times.set(id, Number(each[0]));
      else for (let index = 0; index < each.length; index++) times.set(`${id}#${index}`, Number(each[index]));
    }
    if (entries.length < 10_000) return times;
    start = `(${entries[entries.length - 1][0]}`;
  }
}

function startNode(config, children) {
  // W5_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/w5prof": profile each node (NODE_OPTIONS refuses it).
  const execArgv = (process.env.W5_NODE_FLAGS ?? '').split(' ').filter((flag) => flag.length > 0);
  const child = fork(NODE_SCRIPT, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv,
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`a ${config.role} node exited (${code}) before ready`)));
  });
}

/** Its report, once the node stopped (lease released, nothing left to publish) and the process exited. */
function stopNode(child) {
  return new Promise((resolve, reject) => {
    let report = null;
    child.removeAllListeners('exit');
    child.on('message', (message) => {
      if (message?.type === 'report') report = message;
    });
    // 'close', not 'exit': 'exit' can come before the report still in the IPC pipe (seen once in W5).
    child.once('close', (code) =>
      report === null ? reject(new Error(`a node exited (${code}) without its report`)) : resolve(report),
    );
    child.send({ type: 'stop' });
  });
}

async function until(check, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

runChild({ w5 });
