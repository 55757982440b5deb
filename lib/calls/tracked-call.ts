import { type Observable, ReplaySubject } from 'rxjs';
import type { AmiCallProgress, AmiCallSummary, AmiTrackedCall } from './call-tracker.types.js';

/** The handle given to the caller: a replayed progress stream and a promise, settled once. */
export class TrackedCallHandle implements AmiTrackedCall {
  readonly progress$: Observable<AmiCallProgress>;
  readonly finished: Promise<AmiCallSummary>;
  private readonly progress = new ReplaySubject<AmiCallProgress>();
  private resolve!: (summary: AmiCallSummary) => void;
  private reject!: (error: Error) => void;
  private settled = false;

  constructor(readonly uniqueid: string) {
    this.progress$ = this.progress.asObservable();
    this.finished = new Promise<AmiCallSummary>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A caller that only watches progress$ must not get an unhandled rejection; awaiting it still throws.
    this.finished.catch(() => undefined);
  }

  get isSettled(): boolean {
    return this.settled;
  }

  report(progress: AmiCallProgress): void {
    if (!this.settled) this.progress.next(progress);
  }

  succeed(summary: AmiCallSummary): void {
    if (this.settled) return;
    this.settled = true;
    this.progress.complete();
    this.resolve(summary);
  }

  /** progress$ completes rather than errors: a subscriber without an error callback must not crash the process. */
  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.progress.complete();
    this.reject(error);
  }
}
