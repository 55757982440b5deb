// CPU time and run-queue wait of this process's threads, from Linux's /proc/self/task/*/schedstat.
// On a 2-core machine the client's main thread, V8's worker threads (optimizing compiler, GC helpers)
// and the server all compete for the cores: a thread that waits on the run queue stalls whatever it
// serves. Null where /proc is missing.
import { readdirSync, readFileSync } from 'node:fs';

const TASKS = '/proc/self/task';

function readTasks() {
  const tasks = new Map();
  for (const id of readdirSync(TASKS)) {
    const [cpuNs, waitNs] = readFileSync(`${TASKS}/${id}/schedstat`, 'utf8').split(' ').map(Number);
    tasks.set(id, { cpuNs, waitNs });
  }
  return tasks;
}

/** Starts counting; `stop()` returns the ms each kind of thread spent on a core or waiting for one. */
export function watchThreads() {
  let before;
  try {
    before = readTasks();
  } catch {
    return { stop: () => null };
  }
  return {
    stop() {
      const figures = { mainCpuMs: 0, mainWaitMs: 0, workersCpuMs: 0 };
      for (const [id, now] of readTasks()) {
        const then = before.get(id) ?? { cpuNs: 0, waitNs: 0 };
        const cpuMs = (now.cpuNs - then.cpuNs) / 1e6;
        if (Number(id) === process.pid) {
          figures.mainCpuMs = cpuMs;
          figures.mainWaitMs = (now.waitNs - then.waitNs) / 1e6;
        } else {
          figures.workersCpuMs += cpuMs;
        }
      }
      return figures;
    },
  };
}
