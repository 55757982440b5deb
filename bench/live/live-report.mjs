// The "live" workload's rows: the W1 storm with live state on (oursLive) against off (ours), run for run.
import { median } from '../support/report.mjs';

/** The live-state side runs the W1 child workload. */
export const childWorkload = (workload) => (workload === 'live' ? 'w1' : workload);

export function liveRows(sides) {
  if (sides === undefined) return [];
  const off = sides.ours ?? [];
  const on = sides.oursLive ?? [];
  const ratios = [];
  for (let i = 0; i < Math.min(off.length, on.length); i++) {
    if (off[i]?.ok && on[i]?.ok) ratios.push(on[i].eventsPerSecond / off[i].eventsPerSecond);
  }
  const perSecond = (runs) => median(runs.filter((run) => run.ok).map((run) => run.eventsPerSecond));
  const format = (value) => (value === null ? 'n/a' : `${(value / 1e3).toFixed(0)}k`);
  const heap = (runs) =>
    median(runs.filter((run) => run.ok && run.heapAfter !== null).map((run) => run.heapAfter));
  const mib = (value) => (value === null ? 'n/a' : `${(value / 1024 / 1024).toFixed(1)} MiB`);
  const ratio =
    ratios.length === 0
      ? null
      : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
  const okCount = (runs) => `${runs.filter((run) => run.ok).length}/${runs.length}`;
  return [
    {
      workload: 'W1 with live state',
      figure: 'runs with exact counts',
      baseline: '',
      measured: `off ${okCount(off)}, on ${okCount(on)}`,
      ratio: null,
      target: 'all',
      result: off.length > 0 && on.length > 0 && [...off, ...on].every((run) => run.ok) ? 'pass' : 'FAIL',
    },
    {
      workload: 'W1 with live state',
      figure: 'events/s (live state on ÷ off)',
      baseline: format(perSecond(off)),
      measured: format(perSecond(on)),
      ratio,
      target: '>= 0.75',
      result: ratio === null ? 'n/a' : ratio.median >= 0.75 ? 'pass' : 'MISS',
    },
    {
      workload: 'W1 with live state',
      figure: 'heap after the storm, after GC (off, on; info)',
      baseline: mib(heap(off)),
      measured: mib(heap(on)),
      ratio: null,
      target: '',
      result: 'info',
    },
  ];
}
