import type { AmiClient, AmiEvent } from '../../../lib/client.js';

/**
 * Counts how many times each listener ran for each Hangup (key: Uniqueid + Event): one by name,
 * `onEvent('Hangup')`, and one for all, `onEvent('*')`, must each run exactly once.
 */
export class HangupLedger {
  private readonly runs = new Map<string, number>();
  private readonly disposers: (() => void)[] = [];

  constructor(client: AmiClient) {
    const count = (via: string) => (event: AmiEvent) => {
      if (event.Event !== 'Hangup') return;
      const key = `${via}|${String(event.Uniqueid)}|${event.Event}`;
      this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
    };
    this.disposers.push(client.onEvent('Hangup', count('named')));
    this.disposers.push(client.onEvent('*', count('all')));
  }

  /** Hangups seen (each counted once, whatever the number of listeners). */
  get size(): number {
    let named = 0;
    for (const key of this.runs.keys()) if (key.startsWith('named|')) named++;
    return named;
  }

  has(uniqueid: string): boolean {
    return this.runs.has(`named|${uniqueid}|Hangup`);
  }

  /** Keys whose handlers ran more than once, and Hangups some listener missed. */
  anomalies(): { duplicates: string[]; missed: string[] } {
    const duplicates = [...this.runs].filter(([, runs]) => runs > 1).map(([key]) => key);
    const missed: string[] = [];
    for (const key of this.runs.keys()) {
      if (!key.startsWith('named|')) continue;
      const rest = key.slice('named|'.length);
      if (!this.runs.has(`all|${rest}`)) missed.push(`all|${rest}`);
    }
    return { duplicates, missed };
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
