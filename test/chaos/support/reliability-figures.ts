import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The figures the fuzz and chaos suites measure, printed as a block and merged into
 * .tmp/reliability-figures.json (gitignored) for docs/reliability.md. Each suite owns one section.
 */
const directory = join(dirname(fileURLToPath(import.meta.url)), '../../../.tmp');
export const figuresFile = join(directory, 'reliability-figures.json');
const lockDirectory = `${figuresFile}.lock`;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export type Figures = Record<string, unknown>;

export function recordFigures(section: string, figures: Figures): void {
  mkdirSync(directory, { recursive: true });
  // Unit test files run in parallel workers: a lock directory keeps their read-merge-write whole.
  withLock(() => {
    const all = readFigures();
    all[section] = { ...figures, recordedAt: new Date().toISOString() };
    const temporary = `${figuresFile}.${process.pid}`;
    writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`);
    renameSync(temporary, figuresFile);
  });
}

export function readFigures(): Record<string, Figures> {
  try {
    return JSON.parse(readFileSync(figuresFile, 'utf8')) as Record<string, Figures>;
  } catch {
    return {};
  }
}

/** One clear block in the test output: the title, then `name: value` lines. */
export function printFigures(title: string, figures: Figures): void {
  const width = Math.max(...Object.keys(figures).map((name) => name.length));
  const lines = Object.entries(figures).map(
    ([name, value]) =>
      `  ${name.padEnd(width)}  ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  const rule = '='.repeat(72);
  console.log(`${rule}\n${title}\n${lines.join('\n')}\n${rule}`);
}

function withLock(work: () => void): void {
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lockDirectory);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (tries > 500 || isStale()) {
        rmSync(lockDirectory, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(sleeper, 0, 0, 10);
    }
  }
  try {
    work();
  } finally {
    rmSync(lockDirectory, { recursive: true, force: true });
  }
}

function isStale(): boolean {
  try {
    return Date.now() - statSync(lockDirectory).mtimeMs > 10_000;
  } catch {
    return false;
  }
}
