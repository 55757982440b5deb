// Reads a .cpuprofile (node --cpu-prof) and lists the functions by self time.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Self time by function (name + location), largest first, with its share of the busy (non-idle) time. */
export function summarizeProfile(file, root = process.cwd()) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const frame = nodes.get(id).callFrame;
    total += micros;
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    const where = frame.url
      ? `${relative(root, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  const busy = total - idle;
  const functions = [...byFunction]
    .map(([name, micros]) => ({ name, selfMs: micros / 1000, percentOfBusy: (100 * micros) / busy }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: total / 1000, idleMs: idle / 1000, busyMs: busy / 1000, functions };
}

export function profileTable(summary, top = 25) {
  const lines = [
    `busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms`,
    '| Self ms | % of busy | Function |',
    '|---:|---:|---|',
  ];
  for (const fn of summary.functions.slice(0, top)) {
    lines.push(`| ${fn.selfMs.toFixed(1)} | ${fn.percentOfBusy.toFixed(1)} | \`${fn.name.trim()}\` |`);
  }
  return lines.join('\n');
}
