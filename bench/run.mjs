// `npm run bench`: builds the package, then measures the built client against a raw socket counter,
// each run in a fresh process, raw and client interleaved so that noise hits both alike.
//
//   node bench/run.mjs [--runs 5] [--only w1,w2,w3,w4] [--events 200000] [--pings 20000] [--window 100]
//                      [--items 20000] [--dist dist] [--out bench/results/latest.json]
//                      [--compare-dist other/dist]   (adds that build as a third side, "candidate")
//                      [--node-flags="--flag ..."]   (every client process, raw included, runs with them:
//                                                     for experiments on V8, never for docs/performance.md's table)
//   node bench/run.mjs --profile [--profile-client ours|nest|raw] [--profile-workload w1|w2|w3]
//   node bench/run.mjs --only live   (W1 with AmiLiveState on against off, run for run)
//   node bench/run.mjs --only w4,w5 [--w5-rate 10000] [--w5-paced-events 50000]
//                      W5 (cluster mode through Redis, bench/cluster/w5-cluster.mjs) needs a Redis:
//                      REDIS_URL, else REDIS_PORT (scripts/redis.sh start); not in the default list.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childWorkload, liveRows } from './live/live-report.mjs';
import { clientEntry } from './support/client-entry.mjs';
import { clusterMemoryLines } from './support/cluster-report.mjs';
import { runClient, startServer } from './support/processes.mjs';
import { profileTable, summarizeProfile } from './support/profile-summary.mjs';
import { markdownTable, summarize } from './support/report.mjs';
import { EXTRA_EVENTS } from './support/sentinel.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'w1,w2,w3,w4' },
    events: { type: 'string', default: '200000' },
    pings: { type: 'string', default: '20000' },
    window: { type: 'string', default: '100' },
    items: { type: 'string', default: '20000' },
    'w5-rate': { type: 'string', default: '10000' },
    'w5-paced-events': { type: 'string', default: '50000' },
    dist: { type: 'string', default: join(repo, 'dist') },
    'compare-dist': { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    out: { type: 'string', default: join(repo, 'bench', 'results', 'latest.json') },
    profile: { type: 'boolean', default: false },
    'profile-client': { type: 'string', default: 'ours' },
    'profile-workload': { type: 'string', default: 'w1' },
  },
});

const config = {
  runs: positive('runs'),
  events: positive('events'),
  pings: positive('pings'),
  window: positive('window'),
  listItems: positive('items'),
  w5Rate: positive('w5-rate'),
  w5PacedEvents: positive('w5-paced-events'),
  dist: resolve(args.dist),
  compareDist: args['compare-dist'] === undefined ? null : resolve(args['compare-dist']),
  nodeFlags: args['node-flags'].split(' ').filter((flag) => flag.length > 0),
  workloads: args.only.split(',').map((name) => name.trim().toLowerCase()),
};

const WORKLOADS = ['w1', 'w2', 'w3', 'w4', 'w5', 'live'];
for (const name of config.workloads) {
  if (!WORKLOADS.includes(name))
    throw new Error(`--only: unknown workload ${name} (${WORKLOADS.join(', ')})`);
}
for (const dist of [config.dist, config.compareDist]) {
  if (dist !== null && clientEntry(dist) === null) {
    throw new Error(`${dist} holds no built client: run \`npm run build\` (or build that tree) first`);
  }
}

function positive(name) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const log = (line) => process.stderr.write(`${line}\n`);

const server = await startServer({ events: config.events, listItems: config.listItems });
const shared = {
  dist: config.dist,
  port: server.port,
  events: config.events,
  pings: config.pings,
  window: config.window,
  listItems: config.listItems,
  firstChannel: server.list.firstChannel,
  lastChannel: server.list.lastChannel,
  expectedPerType: { ...server.storm.perType, ...EXTRA_EVENTS },
  w5Rate: config.w5Rate,
  w5PacedEvents: config.w5PacedEvents,
  timeoutMs: 120_000,
};
log(
  `fake AMI server on port ${server.port}: storm of ${config.events} events in ` +
    `${(server.storm.bytes / 1024 / 1024).toFixed(1)} MiB, list of ${config.listItems} items`,
);

try {
  if (args.profile) await profile();
  else await benchmark();
} finally {
  await server.stop();
}

async function runOnce(kind, workload, extraExecArgv = []) {
  const dist = kind === 'candidate' || kind === 'nestCandidate' ? config.compareDist : config.dist;
  const result = await runClient(kind, { ...shared, dist, workload: childWorkload(workload) }, [
    ...config.nodeFlags,
    ...extraExecArgv,
  ]);
  result.server = await server.nextClosedConnection();
  if (result.ok && result.server === null) {
    result.ok = false;
    result.error = 'the server saw no connection close after the run';
  }
  return result;
}

function describe(result) {
  if (!result.ok) return `FAILED: ${result.error}`;
  if (result.unavailable) return `not available: ${result.unavailable}`;
  const parts = [];
  if (result.eventsPerSecond) parts.push(`${Math.round(result.eventsPerSecond)} events/s`);
  if (result.paced)
    parts.push(
      `at ${result.paced.rate}/s p50 ${result.p50Ms.toFixed(1)} ms p99 ${result.p99Ms.toFixed(1)} ms ` +
        `max ${result.maxMs.toFixed(1)} ms (leader to Redis p50 ${result.paced.publishP50Ms.toFixed(0)} ` +
        `p99 ${result.paced.publishP99Ms.toFixed(0)} ms, Redis to sink p50 ${result.paced.consumeP50Ms.toFixed(0)} ` +
        `p99 ${result.paced.consumeP99Ms.toFixed(0)} ms)`,
    );
  if (result.actionsPerSecond)
    parts.push(`${Math.round(result.actionsPerSecond)} actions/s, p99 ${result.p99Ms.toFixed(2)} ms`);
  if (!result.eventsPerSecond && !result.actionsPerSecond) parts.push(`${result.elapsedMs.toFixed(1)} ms`);
  parts.push(`RSS ${(result.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`);
  return parts.join(', ');
}

async function benchmark() {
  const loadBefore = loadavg();
  const wants = (name) => config.workloads.includes(name);
  const plan = [];
  const candidate = config.compareDist === null ? [] : ['candidate'];
  if (wants('w1') || wants('w4')) {
    const nest = wants('w4') ? ['nest', ...(candidate.length > 0 ? ['nestCandidate'] : [])] : [];
    const kinds = [...(wants('w1') ? ['raw'] : []), 'ours', ...candidate, ...nest];
    plan.push({ workload: 'w1', kinds });
  }
  if (wants('w2')) plan.push({ workload: 'w2', kinds: ['raw', 'ours', ...candidate, 'rawBatched'] });
  if (wants('w3')) plan.push({ workload: 'w3', kinds: ['raw', 'ours', ...candidate] });
  if (wants('w5')) plan.push({ workload: 'w5', kinds: ['cluster'] });
  // W1 with live state on against off, run for run (bench/live).
  if (wants('live')) plan.push({ workload: 'live', kinds: ['ours', 'oursLive'] });

  const results = {};
  const started = performance.now();
  for (const { workload, kinds } of plan) {
    results[workload] = Object.fromEntries(kinds.map((kind) => [kind, []]));
    for (let run = 1; run <= config.runs; run++) {
      for (const kind of kinds) {
        if (results[workload][kind].some((r) => r.unavailable)) continue;
        const result = await runOnce(kind, workload);
        results[workload][kind].push(result);
        log(`${workload} run ${run}/${config.runs} ${kind.padEnd(10)} ${describe(result)}`);
      }
    }
  }
  const rows = [...summarize(results), ...liveRows(results.live)];
  const loadAfter = loadavg();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    loadAverage1mBefore: loadBefore[0],
    loadAverage1mAfter: loadAfter[0],
    durationSeconds: (performance.now() - started) / 1000,
    config: { ...config, dist: undefined },
    stormBytes: server.storm.bytes,
    expectedPerType: shared.expectedPerType,
  };
  const table = markdownTable(rows);
  process.stdout.write(
    `\nnestjs-ami benchmark, ${meta.date}: Node ${meta.node}, ${meta.platform}, ${meta.cpu}\n` +
      `load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; ` +
      `${config.runs} runs per side, raw and client interleaved, each in a fresh process` +
      `${config.runs < 3 ? ' (fewer than 3 runs: a smoke test, not a result)' : ''}\n` +
      `${config.nodeFlags.length > 0 ? `every client process ran with ${config.nodeFlags.join(' ')}\n` : ''}` +
      `W1 ${config.events} events (${(server.storm.bytes / 1024 / 1024).toFixed(1)} MiB), ` +
      `W2 ${config.pings} Ping with ${config.window} in flight, W3 ${config.listItems} list items\n\n` +
      `${table}\n`,
  );
  for (const row of rows) if (row.note) process.stdout.write(`\n${row.workload}: ${row.note}\n`);
  if (results.w5) process.stdout.write(`\n${clusterMemoryLines(results.w5.cluster)}\n`);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(
    args.out,
    `${JSON.stringify({ meta, summary: rows.map(({ format, ...row }) => row), runs: results }, null, 2)}\n`,
  );
  log(`\nwrote ${args.out} (${meta.durationSeconds.toFixed(0)} s)`);
  const failed = Object.values(results).some((sides) =>
    Object.values(sides).some((runs) => runs.some((run) => !run.ok)),
  );
  if (failed) {
    log('some runs FAILED: their counts or results were wrong (see above)');
    process.exitCode = 1;
  }
}

async function profile() {
  const kind = args['profile-client'];
  const workload = args['profile-workload'];
  const dir = join(repo, 'bench', 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  const since = Date.now();
  const result = await runOnce(kind, workload, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    '--cpu-prof-interval=100',
  ]);
  log(`${workload} ${kind}: ${describe(result)}`);
  const written = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (written.length === 0) throw new Error(`no .cpuprofile written in ${dir}`);
  log(`profile: ${written[0]}`);
  process.stdout.write(`${profileTable(summarizeProfile(written[0], repo))}\n`);
  if (!result.ok) process.exitCode = 1;
}
