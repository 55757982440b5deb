// W5's rows in the summary table, and its memory figures (Redis, leader, each replica) under it.

const median = (values) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const figures = (runs, pick) =>
  runs
    .filter((run) => run.ok && !run.unavailable)
    .map(pick)
    .filter((value) => typeof value === 'number');
const kilo = (value) => (value === null ? 'n/a' : `${(value / 1e3).toFixed(1)}k`);
const ms = (value) => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);
const mib = (value) => `${(value / 1024 / 1024).toFixed(1)} MiB`;

/** Correctness, events/s beside W4 (one Nest process), p50/p99 at the paced rate, against issue 16's targets. */
export function clusterRows(clusterRuns, nestRuns) {
  if (clusterRuns.length === 0) return [];
  const workload = 'W5 cluster (leader + 3 replicas)';
  const unavailable = clusterRuns.find((run) => run.ok && run.unavailable);
  if (unavailable) {
    return [
      {
        workload,
        figure: 'runs',
        baseline: '',
        measured: 'not available',
        ratio: null,
        target: '',
        result: 'n/a',
        note: unavailable.unavailable,
      },
    ];
  }
  const passed = clusterRuns.filter((run) => run.ok).length;
  const rate = clusterRuns.find((run) => run.ok)?.paced?.rate ?? 'the paced rate';
  const throughput = median(figures(clusterRuns, (run) => run.eventsPerSecond));
  const p50 = median(figures(clusterRuns, (run) => run.p50Ms));
  const p99 = median(figures(clusterRuns, (run) => run.p99Ms));
  const nest = median(figures(nestRuns, (run) => run.eventsPerSecond));
  const row = (figure, baseline, measured, target, result) => ({
    workload,
    figure,
    baseline,
    measured,
    ratio: null,
    target,
    result,
  });
  return [
    row(
      'runs with exact counts (once in total, no loss, no duplicate)',
      '',
      `${passed}/${clusterRuns.length}`,
      'all',
      passed === clusterRuns.length ? 'pass' : 'FAIL',
    ),
    row(
      'events/s, storm unpaced (baseline: W4 Nest, one process)',
      nest === null ? 'n/a' : kilo(nest),
      kilo(throughput),
      '>= 50.0k',
      throughput === null ? 'n/a' : throughput >= 50_000 ? 'pass' : 'MISS',
    ),
    row(`latency p50 at ${rate}/s (leader receipt -> once sink)`, '', ms(p50), '', 'info'),
    row(
      `latency p99 at ${rate}/s (leader receipt -> once sink)`,
      '',
      ms(p99),
      '< 50 ms',
      p99 === null ? 'n/a' : p99 < 50 ? 'pass' : 'MISS',
    ),
  ];
}

/** One line per run and phase: stream length, Redis used_memory, leader and replica RSS at the end. */
export function clusterMemoryLines(clusterRuns = []) {
  const lines = ['W5 memory at the end of each phase (RSS now / peak):'];
  clusterRuns.forEach((run, index) => {
    if (!run.ok || run.unavailable) return;
    for (const name of ['throughput', 'paced']) {
      const phase = run[name];
      const rss = (m) => `${mib(m.rssBytes)}/${mib(m.peakRssBytes)}`;
      lines.push(
        `  run ${index + 1} ${name.padEnd(10)} stream ${phase.streamLength} entries, Redis used_memory ` +
          `${mib(phase.redisUsedMemoryBytes)}, leader ${rss(phase.leader)}, replicas ` +
          `${phase.replicas.map(rss).join(', ')}; split ${phase.split.join('/')}; CPU ms leader ` +
          `${phase.cpuMs.leader}, replicas ${phase.cpuMs.replicas.join('/')}, Redis ${phase.cpuMs.redis}` +
          `${phase.warnings.length > 0 ? `; warnings: ${phase.warnings.join(' | ')}` : ''}`,
      );
    }
  });
  return lines.join('\n');
}
