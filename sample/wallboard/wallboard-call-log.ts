import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AmiCallSummary, AmiService } from 'nestjs-ami';
import { map, type Observable, Subject, type Subscription } from 'rxjs';
import { callLogSize } from '../config/sample-config.js';
import type { WallboardCallLogView } from './wallboard-feed.js';
import type { WallboardFinishedCall } from './wallboard-message.js';

const toFinished = (call: AmiCallSummary): WallboardFinishedCall => ({
  id: call.linkedid,
  from: call.from,
  to: call.to,
  outcome: call.outcome,
  endedAt: call.endedAt,
  durationMs: call.durationMs,
  talkTimeMs: call.talkTimeMs,
  cause: call.cause,
  causeTxt: call.causeTxt,
});

/**
 * The finished calls the wallboard shows, from the connection's call tracker (`AmiService.calls`): the
 * latest CALL_LOG_SIZE of them, then each new one. Every replica of a cluster tracks the calls it sees, so
 * each page shows the whole log of its replica.
 */
@Injectable()
export class WallboardCallLog implements WallboardCallLogView, OnModuleDestroy {
  private readonly latest: WallboardFinishedCall[] = [];
  private readonly subject = new Subject<WallboardFinishedCall>();
  private readonly subscription: Subscription | null;
  private readonly capacity: number;
  readonly finished$: Observable<WallboardFinishedCall> = this.subject.asObservable();

  constructor(ami: AmiService, config: ConfigService) {
    this.capacity = callLogSize(config);
    this.subscription =
      ami.calls?.finished$.pipe(map(toFinished)).subscribe((call) => {
        this.latest.push(call);
        if (this.latest.length > this.capacity) this.latest.shift();
        this.subject.next(call);
      }) ?? null;
  }

  /** Newest first. */
  recent(): WallboardFinishedCall[] {
    return [...this.latest].reverse();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.subject.complete();
  }
}
