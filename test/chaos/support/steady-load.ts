import { type AmiClient, AmiError } from '../../../lib/client.js';
import { originateLocalCall } from './local-calls.js';

/** How one originated call ended, and after how long. */
export interface SettledCall {
  index: number;
  uniqueids: string[];
  startedAt: number;
  settledAfterMs: number;
  /** `answered`, or the error class (AmiDisconnectedError, AmiTimeoutError...), or `untyped: ...`. */
  outcome: string;
  /** The OriginateResponse carried the Uniqueid this call asked for. */
  matched: boolean;
  /** The error's message, for the report. */
  message?: string;
}

/** Originates one Local call every `everyMs`, while started, and keeps how each one settled. */
export class SteadyLoad {
  readonly settled: SettledCall[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private next = 0;

  constructor(
    private readonly client: AmiClient,
    private readonly tag: string,
    private readonly everyMs: number,
    readonly timeoutMs: number,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.launch();
      this.timer = setTimeout(tick, this.everyMs);
    };
    tick();
  }

  /** Stops originating and waits for every call in flight to settle. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  answeredSince(time: number): SettledCall[] {
    return this.settled.filter((call) => call.startedAt >= time && call.outcome === 'answered');
  }

  private launch(): void {
    const index = this.next++;
    const startedAt = Date.now();
    const call = originateLocalCall(this.client, this.tag, index, this.timeoutMs);
    const record = (outcome: string, matched: boolean, message?: string) => {
      this.settled.push({
        index,
        uniqueids: call.uniqueids,
        startedAt,
        settledAfterMs: Date.now() - startedAt,
        outcome,
        matched,
        message,
      });
    };
    const settled = call.result
      .then(
        (event) => record('answered', event.Uniqueid === call.uniqueids[0]),
        (error: unknown) =>
          record(
            error instanceof AmiError ? error.name : `untyped: ${String(error)}`,
            true,
            error instanceof Error ? error.message : undefined,
          ),
      )
      .finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
  }
}
