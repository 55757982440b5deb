// Child processes of the orchestrator: the fake server, and one fresh process per client run.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('..', import.meta.url));

/** Each side of a comparison: the script it runs and the parameters that set it apart. */
export const CLIENTS = {
  raw: { script: `${benchDir}clients/raw-client.mjs`, params: { coalesce: false } },
  rawBatched: { script: `${benchDir}clients/raw-client.mjs`, params: { coalesce: true } },
  ours: { script: `${benchDir}clients/ours-client.mjs`, params: {} },
  /** W1 with AmiLiveState following the storm (the `live` workload). */
  oursLive: { script: `${benchDir}clients/live-client.mjs`, params: {} },
  /** The client built from another tree (`--compare-dist`), e.g. a prototype of an optimization. */
  candidate: { script: `${benchDir}clients/ours-client.mjs`, params: {} },
  nestCandidate: { script: `${benchDir}clients/nest-client.mjs`, params: {} },
  nest: { script: `${benchDir}clients/nest-client.mjs`, params: {} },
  /** W5: leader + three replicas in cluster mode on Redis, orchestrated from this one child. */
  cluster: { script: `${benchDir}cluster/w5-cluster.mjs`, params: {} },
};

/** The fake AMI server; resolves once it listens, with its port and what it will send. */
export async function startServer(config) {
  const child = fork(`${benchDir}server/fake-ami-server.mjs`, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--max-old-space-size=2048'],
  });
  const closed = [];
  const waiting = [];
  child.on('message', (message) => {
    if (message?.type !== 'closed') return;
    const next = waiting.shift();
    if (next) next(message);
    else closed.push(message);
  });
  const ready = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake server exited (${code}) before listening`)));
    const onMessage = (message) => {
      if (message?.type !== 'ready') return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
  });
  child.removeAllListeners('exit');
  return {
    ...ready,
    /** The server's report on the next connection to close, or null when none closes within `timeoutMs`. */
    nextClosedConnection(timeoutMs = 5_000) {
      if (closed.length > 0) return Promise.resolve(closed.shift());
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(deliver), 1);
          resolve(null);
        }, timeoutMs);
        const deliver = (message) => {
          clearTimeout(timer);
          resolve(message);
        };
        waiting.push(deliver);
      });
    },
    stop() {
      return new Promise((resolve) => {
        child.once('exit', resolve);
        child.send({ type: 'stop' });
        setTimeout(() => child.kill(), 5_000).unref();
      });
    },
  };
}

/**
 * Runs one client process to its end. Resolves with its result; a crash, a wrong count or a timeout gives
 * `{ ok: false, error }`.
 */
export function runClient(kind, params, extraExecArgv = []) {
  return new Promise((resolve) => {
    const client = CLIENTS[kind];
    const child = fork(client.script, [JSON.stringify({ ...params, ...client.params })], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--expose-gc', ...extraExecArgv],
    });
    let result = null;
    const killer = setTimeout(() => {
      result ??= { ok: false, error: `killed after ${params.timeoutMs + 5_000} ms` };
      child.kill('SIGKILL');
    }, params.timeoutMs + 5_000);
    child.on('message', (message) => {
      result ??= message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve(result ?? { ok: false, error: `exited with ${signal ?? code} and no result` });
    });
  });
}
