import fc from 'fast-check';
import { printFigures, recordFigures } from '../../../chaos/support/reliability-figures.js';

/**
 * Seeded, bounded property runs. Replay a failure with the seed it prints:
 *   FUZZ_SEED=<seed> npm test -- --testPathPatterns test/unit/fuzz
 * More cases: FUZZ_RUNS=<runs per property> (the default keeps the fuzz suite short on 2 busy cores).
 */
const DEFAULT_SEED = 7_2026;
const DEFAULT_RUNS = 300;

export const fuzzSeed = integerFromEnv('FUZZ_SEED') ?? DEFAULT_SEED;
export const fuzzRuns = Math.max(1, integerFromEnv('FUZZ_RUNS') ?? DEFAULT_RUNS);

function integerFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Cases each property ran, by suite, for the figures. */
export class FuzzTally {
  private readonly cases = new Map<string, number>();

  constructor(
    private readonly suite: string,
    private readonly replay = 'npm test -- --testPathPatterns test/unit/fuzz',
  ) {}

  /**
   * Runs a property with the suite's seed; `weight` scales the run count for costly properties.
   * A failure throws fast-check's report (counterexample, seed, path) plus the replay command.
   */
  async check<Ts>(
    name: string,
    property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
    weight = 1,
  ): Promise<void> {
    const numRuns = Math.max(1, Math.round(fuzzRuns * weight));
    const details = await fc.check(property, { seed: fuzzSeed, numRuns });
    this.cases.set(name, details.numRuns);
    if (details.failed) {
      const report = await fc.asyncDefaultReportMessage(details);
      throw new Error(`${report}\nReplay: FUZZ_SEED=${fuzzSeed} FUZZ_RUNS=${fuzzRuns} ${this.replay}`);
    }
  }

  /** Prints the suite's block and records it in .tmp/reliability-figures.json. */
  report(): void {
    const properties = Object.fromEntries(this.cases);
    const total = [...this.cases.values()].reduce((sum, runs) => sum + runs, 0);
    const figures = { seed: fuzzSeed, runsPerProperty: fuzzRuns, totalCases: total, properties };
    printFigures(`Fuzz: ${this.suite}`, {
      seed: `${fuzzSeed} (replay: FUZZ_SEED=${fuzzSeed} ${this.replay})`,
      'cases run': total,
      ...properties,
    });
    recordFigures(`fuzz:${this.suite}`, figures);
  }
}
