import type { AmiStreamEvent } from '../stream-entry.js';
import type { GivenUpEvent } from './dead-letter.js';

/**
 * The events of one entry in one delivery to a `once` consumer, as their handlers settle. When the last
 * has settled, the entry is acknowledged (after its dead letters, if any), unless an event is to be run
 * again: then it stays pending and doneIndices() are recorded for the redelivery to skip.
 */
export class EntryRun {
  /** The loop that starts the handlers holds one: the entry cannot finish before all were started. */
  private unsettled = 1;
  private failed = false;
  private readonly succeeded: number[] = [];
  readonly givenUp: GivenUpEvent[] = [];

  constructor(
    readonly entryId: string,
    readonly deliveryCount: number,
    /** Some of its events were done before this delivery: it has a done set to delete on ack. */
    readonly hadDone: boolean,
  ) {}

  /** True when an event failed and runs again on the entry's next delivery. */
  get retrying(): boolean {
    return this.failed;
  }

  /** An event's handler was started. */
  started(): void {
    this.unsettled += 1;
  }

  /** Every handler was started; true if all have settled already (the entry is finished). */
  launched(): boolean {
    return this.settleOne();
  }

  /** True when this was the last event to settle. */
  succeed(index: number): boolean {
    this.succeeded.push(index);
    return this.settleOne();
  }

  fail(): boolean {
    this.failed = true;
    return this.settleOne();
  }

  giveUp(event: AmiStreamEvent, deliveries: number, error: unknown): boolean {
    this.givenUp.push({ event, deliveries, error });
    return this.settleOne();
  }

  /** The events of this delivery that need not run again: those that succeeded or were dead-lettered. */
  doneIndices(): number[] {
    return this.succeeded.concat(this.givenUp.map(({ event }) => event.index));
  }

  private settleOne(): boolean {
    this.unsettled -= 1;
    return this.unsettled === 0;
  }
}
