// What every client process shares: its parameters, the report to the orchestrator, memory figures.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Runs `workload(params)` in this child process and sends its result (or its failure) to the parent. */
export function runChild(workloads) {
  const params = JSON.parse(process.argv[2]);
  const workload = workloads[params.workload];
  const hardLimit = setTimeout(
    () => finish({ ok: false, error: `no result within ${params.timeoutMs} ms` }),
    params.timeoutMs,
  );
  hardLimit.unref();
  const finish = (result) => {
    clearTimeout(hardLimit);
    process.send(result, () => process.exit(result.ok ? 0 : 1));
  };
  if (workload === undefined) return finish({ ok: false, error: `unknown workload ${params.workload}` });
  workload(params).then(
    (metrics) => finish({ ok: true, ...metrics, peakRssBytes: peakRssBytes() }),
    (error) => finish({ ok: false, error: error instanceof Error ? error.stack : String(error) }),
  );
}

/** VmHWM: the highest resident set size of this process so far. */
export function peakRssBytes() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** heapUsed after full collections (the process runs with --expose-gc). */
export function heapUsedAfterGc() {
  if (typeof globalThis.gc !== 'function') return null;
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Watches how late the event loop runs (a stalled loop reads no socket: Asterisk drops a client that
 * leaves its writes blocked for 100 ms). `stop()` returns the longest delay seen, in ms.
 */
export function watchEventLoop() {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return histogram.max / 1e6;
    },
  };
}

/**
 * Adds up the garbage-collection pauses that start from now on. `stop(until)` resolves with the total
 * of those that started before `until` (a performance.now() time), in ms.
 */
export function watchGarbageCollection() {
  const pauses = [];
  const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop(until) {
      // A pause is reported after it ends, on a later turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      pauses.push(...observer.takeRecords());
      observer.disconnect();
      return pauses
        .filter((pause) => pause.startTime < until)
        .reduce((sum, pause) => sum + pause.duration, 0);
    },
  };
}

/** Percentile of sorted numbers, nearest rank. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** W2's figures from the per-Ping latencies (ms) and the loop's elapsed time. */
export function roundTripFigures(latencies, elapsedMs) {
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    elapsedMs,
    actionsPerSecond: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}
