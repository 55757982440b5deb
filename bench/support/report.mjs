// From the runs to the table: medians, per-run ratios (run i of one side against run i of the other,
// which ran right next to it), min-max, and each target's verdict.
import { clusterRows } from './cluster-report.mjs';

export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values) {
  if (values.length === 0) return null;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * `measuredFigure(b_i) / figure(a_i)` for each run index where both runs succeeded; the same figure of
 * both unless `measuredFigure` is given.
 */
function pairedRatios(baseline, measured, figure, measuredFigure = figure) {
  const ratios = [];
  for (let i = 0; i < Math.min(baseline.length, measured.length); i++) {
    const a = baseline[i];
    const b = measured[i];
    if (!a?.ok || !b?.ok) continue;
    const x = figure(a);
    const y = measuredFigure(b);
    if (typeof x === 'number' && typeof y === 'number' && x > 0) ratios.push(y / x);
  }
  return spread(ratios);
}

const ok = (runs) => runs.filter((run) => run.ok);
const values = (runs, figure) =>
  ok(runs)
    .map(figure)
    .filter((value) => typeof value === 'number');

const count = (value) =>
  value >= 999_500
    ? `${(value / 1e6).toFixed(2)}M`
    : value >= 1e3
      ? `${(value / 1e3).toFixed(0)}k`
      : value.toFixed(0);
const mib = (value) => `${(value / 1024 / 1024).toFixed(1)} MiB`;
const ms = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const times = (value) => value.toFixed(2);

function cell(runs, figure, format) {
  const median = spread(values(runs, figure))?.median;
  return median === undefined || median === null ? 'n/a' : format(median);
}

function maxCell(runs, figure, format) {
  const all = values(runs, figure);
  return all.length === 0 ? 'n/a' : format(Math.max(...all));
}

function verdict(ratio, target) {
  if (ratio === null) return 'n/a';
  return target.atLeast !== undefined
    ? ratio.median >= target.atLeast
      ? 'pass'
      : 'MISS'
    : ratio.median <= target.atMost
      ? 'pass'
      : 'MISS';
}

function ratioRow(workload, figure, baseline, measured, ratio, target, format) {
  return {
    workload,
    figure,
    baseline,
    measured,
    ratio,
    target:
      target.atLeast !== undefined ? `>= ${target.atLeast.toFixed(2)}` : `<= ${target.atMost.toFixed(2)}`,
    result: verdict(ratio, target),
    format,
  };
}

/** `pick` of each run of `measuredRuns` against the run of `baselineRuns` beside it, with its target. */
function comparedRow(workload, figure, baselineRuns, measuredRuns, pick, format, target) {
  return ratioRow(
    workload,
    figure,
    cell(baselineRuns, pick, format),
    cell(measuredRuns, pick, format),
    pairedRatios(baselineRuns, measuredRuns, pick),
    target,
  );
}

/** A side-by-side figure shown for explanation, with no target. */
function infoRow(workload, figure, baselineRuns, measuredRuns, pick, format) {
  return {
    ...comparedRow(workload, figure, baselineRuns, measuredRuns, pick, format, { atMost: 1 }),
    target: '',
    result: 'info',
  };
}

/** The longest time of any run on each side; the measured side's must stay under `limitMs`. */
function longestRow(workload, figure, baselineRuns, measuredRuns, pick, limitMs) {
  return {
    workload,
    figure,
    baseline: maxCell(baselineRuns, pick, ms),
    measured: maxCell(measuredRuns, pick, ms),
    ratio: null,
    target: `< ${limitMs} ms`,
    result: Math.max(...values(measuredRuns, (run) => pick(run) ?? 0), 0) < limitMs ? 'pass' : 'MISS',
  };
}

/**
 * W3: the client's garbage-collection pauses until its list resolves, against the raw counter's whole
 * run beside it. The target, 0.40 of raw's speed, allows the client 2.5 times the raw run in all.
 */
function garbageCollectionRow(rawRuns, clientRuns) {
  return {
    workload: 'W3 event list',
    figure: "GC pauses until the list resolves (client's GC ms ÷ raw ms, info)",
    baseline: cell(rawRuns, (run) => run.elapsedMs, ms),
    measured: cell(clientRuns, (run) => run.gcMs, ms),
    ratio: pairedRatios(
      rawRuns,
      clientRuns,
      (run) => run.elapsedMs,
      (run) => run.gcMs,
    ),
    target: '',
    result: 'info',
  };
}

function correctnessRow(workload, sides) {
  const text = sides.map(([name, runs]) => `${name} ${ok(runs).length}/${runs.length}`).join(', ');
  const failed = sides.some(([, runs]) => runs.length === 0 || ok(runs).length !== runs.length);
  return {
    workload,
    figure: 'runs with exact counts',
    baseline: '',
    measured: text,
    ratio: null,
    target: 'all',
    result: failed ? 'FAIL' : 'pass',
  };
}

function heapRow(workload, runs, who = 'client') {
  const ratio = spread(values(runs, (run) => (run.heapBefore > 0 ? run.heapAfter / run.heapBefore : null)));
  return {
    ...ratioRow(
      workload,
      `heap after GC ÷ before (${who})`,
      cell(runs, (run) => run.heapBefore, mib),
      cell(runs, (run) => run.heapAfter, mib),
      ratio,
      { atMost: 1.1 },
    ),
  };
}

/** The table's rows for whatever workloads ran. */
export function summarize(results) {
  const rows = [];
  const sides = (workload) => ({
    raw: results[workload]?.raw ?? [],
    rawBatched: results[workload]?.rawBatched ?? [],
    ours: results[workload]?.ours ?? [],
    nest: results[workload]?.nest ?? [],
    candidate: results[workload]?.candidate ?? [],
    nestCandidate: results[workload]?.nestCandidate ?? [],
  });
  const [w1, w2, w3] = [sides('w1'), sides('w2'), sides('w3')];
  if (w1.raw.length > 0 && w1.ours.length > 0) {
    rows.push(
      correctnessRow('W1 event storm', [
        ['raw', w1.raw],
        ['client', w1.ours],
      ]),
    );
    rows.push(
      comparedRow(
        'W1 event storm',
        'events/s (client ÷ raw)',
        w1.raw,
        w1.ours,
        (run) => run.eventsPerSecond,
        count,
        { atLeast: 0.25 },
      ),
    );
    rows.push(
      comparedRow(
        'W1 event storm',
        'peak RSS, VmHWM (client ÷ raw)',
        w1.raw,
        w1.ours,
        (run) => run.peakRssBytes,
        mib,
        { atMost: 1 },
      ),
    );
    rows.push(heapRow('W1 event storm', w1.ours));
    // Asterisk drops a client that stops reading for 100 ms.
    rows.push(
      longestRow(
        'W1 event storm',
        'longest event-loop delay in the client, max (info)',
        w1.raw,
        w1.ours,
        (run) => run.loopDelayMaxMs,
        100,
      ),
    );
    rows.push(
      longestRow(
        'W1 event storm',
        'longest server write wait, max (info)',
        w1.raw,
        w1.ours,
        (run) => run.server?.maxStallMs,
        100,
      ),
    );
  }
  if (w2.raw.length > 0 && w2.ours.length > 0) {
    rows.push(
      correctnessRow('W2 Ping round trip', [
        ['raw', w2.raw],
        ['client', w2.ours],
      ]),
    );
    rows.push(
      comparedRow(
        'W2 Ping round trip',
        'actions/s (client ÷ raw)',
        w2.raw,
        w2.ours,
        (run) => run.actionsPerSecond,
        count,
        { atLeast: 1 },
      ),
    );
    rows.push(
      infoRow(
        'W2 Ping round trip',
        'p50 latency (client ÷ raw, info)',
        w2.raw,
        w2.ours,
        (run) => run.p50Ms,
        ms,
      ),
    );
    rows.push(
      comparedRow(
        'W2 Ping round trip',
        'p99 latency (client ÷ raw)',
        w2.raw,
        w2.ours,
        (run) => run.p99Ms,
        ms,
        { atMost: 1 },
      ),
    );
    rows.push(heapRow('W2 Ping round trip', w2.ours));
    rows.push(
      infoRow(
        'W2 Ping round trip',
        'V8 worker threads on a core during the loop (client ÷ raw, info)',
        w2.raw,
        w2.ours,
        (run) => run.threads?.workersCpuMs,
        ms,
      ),
    );
    rows.push(
      infoRow(
        'W2 Ping round trip',
        'main thread waiting for a core during the loop (client ÷ raw, info)',
        w2.raw,
        w2.ours,
        (run) => run.threads?.mainWaitMs,
        ms,
      ),
    );
    if (w2.rawBatched.length > 0) {
      rows.push(
        infoRow(
          'W2 Ping round trip',
          'actions/s (client ÷ raw with coalesced writes, info)',
          w2.rawBatched,
          w2.ours,
          (run) => run.actionsPerSecond,
          count,
        ),
      );
    }
  }
  if (w3.raw.length > 0 && w3.ours.length > 0) {
    rows.push(
      correctnessRow('W3 event list', [
        ['raw', w3.raw],
        ['client', w3.ours],
      ]),
    );
    rows.push(
      ratioRow(
        'W3 event list',
        'speed: raw ms ÷ client ms',
        cell(w3.raw, (run) => run.elapsedMs, ms),
        cell(w3.ours, (run) => run.elapsedMs, ms),
        pairedRatios(w3.ours, w3.raw, (run) => run.elapsedMs),
        { atLeast: 0.4 },
      ),
    );
    rows.push(garbageCollectionRow(w3.raw, w3.ours));
  }
  if (w1.nest.length > 0) {
    const unavailable = w1.nest.find((run) => run.ok && run.unavailable);
    if (unavailable) {
      rows.push({
        workload: 'W4 Nest dispatch',
        figure: 'events/s (Nest ÷ bare client)',
        baseline: '',
        measured: 'not available',
        ratio: null,
        target: '>= 0.80',
        result: 'n/a',
        note: unavailable.unavailable,
      });
    } else {
      rows.push(
        correctnessRow('W4 Nest dispatch', [
          ['client', w1.ours],
          ['Nest', w1.nest],
        ]),
      );
      rows.push(
        comparedRow(
          'W4 Nest dispatch',
          'events/s (Nest ÷ bare client)',
          w1.ours,
          w1.nest,
          (run) => run.eventsPerSecond,
          count,
          { atLeast: 0.8 },
        ),
      );
      rows.push(heapRow('W4 Nest dispatch', w1.nest, 'Nest app'));
    }
  }
  rows.push(...candidateRows(w1, w2, w3));
  rows.push(...clusterRows(results.w5?.cluster ?? [], w1.nest));
  return rows;
}

/** With --compare-dist: the candidate build against the raw counter and against the current client. */
function candidateRows(w1, w2, w3) {
  const rows = [];
  const figures = [
    [w1, 'W1 event storm', 'events/s', (run) => run.eventsPerSecond, count, { atLeast: 0.25 }, false],
    [w1, 'W1 event storm', 'peak RSS', (run) => run.peakRssBytes, mib, { atMost: 1 }, false],
    [w2, 'W2 Ping round trip', 'actions/s', (run) => run.actionsPerSecond, count, { atLeast: 1 }, false],
    [w2, 'W2 Ping round trip', 'p99 latency', (run) => run.p99Ms, ms, { atMost: 1 }, false],
    [
      w3,
      'W3 event list',
      'speed (raw ms ÷ candidate ms)',
      (run) => run.elapsedMs,
      ms,
      { atLeast: 0.4 },
      true,
    ],
  ];
  if (w1.nestCandidate.length > 0 && w1.candidate.length > 0) {
    const pick = (run) => run.eventsPerSecond;
    rows.push(
      comparedRow(
        'W4 Nest dispatch (candidate)',
        'events/s (candidate Nest ÷ candidate client)',
        w1.candidate,
        w1.nestCandidate,
        pick,
        count,
        { atLeast: 0.8 },
      ),
    );
    rows.push(
      infoRow(
        'W4 Nest dispatch (candidate)',
        'events/s (candidate Nest ÷ current Nest)',
        w1.nest,
        w1.nestCandidate,
        pick,
        count,
      ),
    );
  }
  for (const [sides, workload, figure, pick, format, target, inverse] of figures) {
    if (sides.candidate.length === 0) continue;
    if (sides.raw.length > 0)
      rows.push({
        ...ratioRow(
          `${workload} (candidate)`,
          inverse ? figure : `${figure} (candidate ÷ raw)`,
          cell(sides.raw, pick, format),
          cell(sides.candidate, pick, format),
          inverse
            ? pairedRatios(sides.candidate, sides.raw, pick)
            : pairedRatios(sides.raw, sides.candidate, pick),
          target,
        ),
      });
    rows.push({
      ...ratioRow(
        `${workload} (candidate)`,
        inverse ? `${figure.split(' (')[0]}: client ms ÷ candidate ms` : `${figure} (candidate ÷ client)`,
        cell(sides.ours, pick, format),
        cell(sides.candidate, pick, format),
        inverse
          ? pairedRatios(sides.candidate, sides.ours, pick)
          : pairedRatios(sides.ours, sides.candidate, pick),
        target,
      ),
      target: '',
      result: 'info',
    });
  }
  return rows;
}

function ratioText(ratio) {
  if (ratio === null || ratio === undefined) return '';
  return `${times(ratio.median)} (${times(ratio.min)}-${times(ratio.max)})`;
}

/** The rows as a Markdown table (what docs/performance.md shows). */
export function markdownTable(rows) {
  const header = [
    'Workload',
    'Figure',
    'Baseline (median)',
    'Measured (median)',
    'Ratio median (min-max)',
    'Target',
    '',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(
      (row) =>
        `| ${[row.workload, row.figure, row.baseline, row.measured, ratioText(row.ratio), row.target, row.result].join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}
