// Rough figures for cluster mode's `once` consumers (issue 16), on the built package and a real Redis:
//
//   npm run build && node bench/cluster-consumers.mjs [--events 100000] [--replicas 3] [--batch 500]
//
// Redis: REDIS_URL, else the project's own on REDIS_PORT (start it with scripts/redis.sh start).
// Each replica is its own process with its own connections, as in production. Three figures:
//   backlog  events/s for the replicas to handle and acknowledge N events already in the stream
//   live     events/s end to end while one producer appends N events as fast as it can (XADD pipelined
//            1,000 at a time, the entries the publisher writes): first append to last acknowledgement
//   claim    ms from a replica's death mid-handler to another replica running the event again
//            (claimIdle 1,000 ms, claimInterval 500 ms: expected between 1,000 and 1,500)
// Not part of `npm run bench` yet; no assertion, figures only.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(`${dist}cluster/consumers/index.js`)) {
  console.error('dist/ is missing: run "npm run build" first');
  process.exit(2);
}
const { AmiOnceConsumer } = await import(`${dist}cluster/consumers/index.js`);
const { encodeStreamEntry } = await import(`${dist}cluster/stream-entry.js`);
const { clusterKeys, ONCE_GROUP } = await import(`${dist}cluster/cluster-keys.js`);

const url = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6390}`;

if (process.env.BENCH_REPLICA !== undefined) await replica(JSON.parse(process.env.BENCH_REPLICA));
else await main();

/** One replica: a once consumer whose handler counts; stops on the parent's word. */
async function replica({ stream, dead, batch }) {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  let handled = 0;
  const consumer = new AmiOnceConsumer({
    redis,
    stream,
    deadLetterStream: dead,
    batchSize: batch,
    handler: () => {
      handled += 1;
    },
  });
  await consumer.start();
  process.send({ ready: true });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await consumer.stop();
    process.send({ handled, counters: consumer.counters() });
    await redis.quit();
    process.exit(0);
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '100000' },
      replicas: { type: 'string', default: '3' },
      batch: { type: 'string', default: '500' },
    },
  });
  const events = Number(values.events);
  const replicas = Number(values.replicas);
  const batch = Number(values.batch);
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  console.log(`once consumers: ${replicas} replica processes, ${events} events, batches of ${batch}, ${url}`);

  const backlog = await scenario(redis, { events, replicas, batch, appendFirst: true });
  console.log(
    `backlog  ${rate(events, backlog.ms)} events/s (${backlog.ms} ms), handled per replica ${backlog.split}`,
  );
  const live = await scenario(redis, { events, replicas, batch, appendFirst: false });
  console.log(
    `live     ${rate(events, live.ms)} events/s end to end (${live.ms} ms; producer alone ` +
      `${rate(events, live.appendMs)} events/s), handled per replica ${live.split}`,
  );
  const claim = await claimDelay(redis);
  console.log(`claim    ${claim} ms from a replica's death mid-handler to the event running elsewhere`);
  await redis.quit();
}

async function scenario(redis, { events, replicas, batch, appendFirst }) {
  const keys = clusterKeys(`bench-${randomBytes(4).toString('hex')}`, 'pbx');
  try {
    // The group exists before the events: the replicas handle all of them.
    await redis.call('XGROUP', 'CREATE', keys.events, ONCE_GROUP, '0', 'MKSTREAM');
    if (appendFirst) await append(redis, keys.events, events);
    const children = await Promise.all(
      Array.from({ length: replicas }, () =>
        startReplica({ stream: keys.events, dead: keys.deadLetters, batch }),
      ),
    );
    const started = performance.now();
    const appended = appendFirst ? Promise.resolve(0) : timed(() => append(redis, keys.events, events));
    const appendMs = await appended;
    await until(async () => {
      const summary = await redis.call('XPENDING', keys.events, ONCE_GROUP);
      const groups = await redis.call('XINFO', 'GROUPS', keys.events);
      const fields = groups[0];
      const read = Number(fields[fields.indexOf('entries-read') + 1]);
      return read >= events && Number(summary[0]) === 0;
    });
    const ms = Math.round(performance.now() - started);
    const reports = await Promise.all(children.map(stopReplica));
    return { ms, appendMs: Math.round(appendMs), split: reports.map((r) => r.handled).join('/') };
  } finally {
    await redis.del(keys.events, keys.deadLetters);
  }
}

async function claimDelay(redis) {
  const keys = clusterKeys(`bench-${randomBytes(4).toString('hex')}`, 'pbx');
  const options = {
    stream: keys.events,
    deadLetterStream: keys.deadLetters,
    claimIdle: 1_000,
    claimInterval: 500,
    blockMs: 200,
  };
  const dyingRedis = new Redis(url, { maxRetriesPerRequest: null });
  let diedAt = 0;
  const dying = new AmiOnceConsumer({
    ...options,
    redis: dyingRedis,
    stopTimeout: 1,
    handler: () => {
      diedAt = performance.now();
      return new Promise(() => undefined);
    },
  });
  await dying.start();
  await append(redis, keys.events, 1);
  await until(() => diedAt > 0);
  await dying.stop();
  dyingRedis.disconnect();
  let rerunAt = 0;
  const survivor = new AmiOnceConsumer({
    ...options,
    redis,
    handler: () => {
      rerunAt = performance.now();
    },
  });
  await survivor.start();
  await until(() => rerunAt > 0);
  await survivor.stop();
  await redis.del(keys.events, keys.deadLetters);
  return Math.round(rerunAt - diedAt);
}

async function append(redis, stream, count) {
  for (let start = 0; start < count; start += 1_000) {
    const pipeline = redis.pipeline();
    const end = Math.min(count, start + 1_000);
    for (let i = start; i < end; i += 1) {
      pipeline.xadd(
        stream,
        '*',
        ...encodeStreamEntry(
          {
            Event: 'Newchannel',
            Channel: `PJSIP/1000-${i.toString(16).padStart(8, '0')}`,
            Uniqueid: `1700000000.${i}`,
          },
          1,
          Date.now(),
        ),
      );
    }
    await pipeline.exec();
  }
}

function startReplica(config) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_REPLICA: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
  });
}

function stopReplica(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send('stop');
  });
}

async function timed(work) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function until(check) {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

function rate(count, ms) {
  return Math.round((count / ms) * 1_000).toLocaleString('en-US');
}
