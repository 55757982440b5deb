import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AmiCallSummary, AmiCallTracker, type AmiLiveSource, AmiService } from 'nestjs-ami';
import { Subject } from 'rxjs';
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
 * The connection's events as the library's call tracker reads them: AmiService's (in cluster mode what
 * this replica's `every` reader delivers, so each replica logs every call), lists through its client, a
 * resync at each login.
 */
function serviceSource(ami: AmiService): AmiLiveSource {
  return {
    events: {
      onEvent(name, listener) {
        const subscription = ami.events([name]).subscribe(listener);
        return () => subscription.unsubscribe();
      },
    },
    actions: ami.client,
    onResync(listener) {
      const onLogin = (): void => listener();
      ami.client.on('login', onLogin);
      return () => {
        ami.client.off('login', onLogin);
      };
    },
  };
}

/**
 * The finished calls the wallboard shows: the library's AmiCallTracker following every call
 * (`trackAll`), the latest CALL_LOG_SIZE kept, each new one streamed. Not the sample's CallLogService:
 * in cluster mode that one takes `leader` deliveries, so each call is logged by one replica only, while
 * every replica's page must show every call, as its live state does. AmiService.calls follows only the
 * calls it is asked to.
 */
@Injectable()
export class WallboardCallLog implements WallboardCallLogView, OnModuleInit, OnModuleDestroy {
  private readonly latest: WallboardFinishedCall[] = [];
  private readonly finished = new Subject<WallboardFinishedCall>();
  readonly finished$ = this.finished.asObservable();
  private readonly tracker: AmiCallTracker;
  private readonly capacity: number;

  constructor(ami: AmiService, config: ConfigService) {
    this.capacity = callLogSize(config);
    this.tracker = new AmiCallTracker(serviceSource(ami), { trackAll: true });
    this.tracker.finished$.subscribe((summary) => {
      const call = toFinished(summary);
      this.latest.push(call);
      if (this.latest.length > this.capacity) this.latest.shift();
      this.finished.next(call);
    });
  }

  onModuleInit(): void {
    this.tracker.start();
  }

  /** Newest first. */
  recent(): WallboardFinishedCall[] {
    return [...this.latest].reverse();
  }

  onModuleDestroy(): void {
    this.tracker.stop();
    this.finished.complete();
  }
}
