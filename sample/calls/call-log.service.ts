import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  AmiCallTracker,
  type AmiEvent,
  AmiService,
  OnAmiConnected,
  OnAmiEvent,
  OnAmiEventGap,
} from 'nestjs-ami';
import { callLogSize } from '../config/sample-config.js';
import { CallLogSource, finishedCall } from './call-tracker.js';
import type { FinishedCall } from './finished-call.js';

/**
 * Cluster mode: a call is followed through several events in order (Newchannel ... Hangup), so the call
 * log takes them as `leader` deliveries: one replica at a time, in stream order, each event once per
 * group. `once` would spread one call's events over the replicas; the connection's own tracker
 * (AmiService.calls) reads the `every` stream, where each replica would log each call. Without cluster
 * mode `delivery` changes nothing.
 */
const LEADER = { delivery: 'leader' } as const;
const CALL_EVENTS = ['Newchannel', 'Newstate', 'NewCallerid', 'DialBegin', 'DialState', 'DialEnd', 'Hangup'];
/** The sample IVR announces a callback request with this UserEvent (sample/ivr), naming the call's Linkedid. */
const CALLBACK_REQUEST = 'IvrCallbackRequest';
/** Calls with a callback request not yet logged, at most: a request whose call is never logged is forgotten. */
const PENDING_CALLBACKS = 1_000;

/** Logs every finished call (who called whom, how long, why it ended) and keeps the latest ones. */
@Injectable()
export class CallLogService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CallLog');
  private readonly source: CallLogSource;
  /** The library's tracker, following every call whose first channel this replica sees begin. */
  private readonly tracker: AmiCallTracker;
  private readonly finished: FinishedCall[] = [];
  /** Linkedids of calls in which the caller asked to be called back (their call not logged yet). */
  private readonly callbacks = new Set<string>();
  private readonly capacity: number;

  constructor(config: ConfigService, ami: AmiService) {
    this.capacity = callLogSize(config);
    this.source = new CallLogSource(ami.client);
    this.tracker = new AmiCallTracker(this.source, { trackAll: true });
  }

  onModuleInit(): void {
    this.tracker.finished$.subscribe((summary) => this.log(finishedCall(summary)));
    this.tracker.start();
  }

  onModuleDestroy(): void {
    this.tracker.stop();
  }

  /** The latest finished calls, newest first. */
  recent(): FinishedCall[] {
    return [...this.finished].reverse();
  }

  @OnAmiEvent(CALL_EVENTS, LEADER)
  onCallEvent(event: AmiEvent): void {
    this.source.deliver(event);
  }

  // In the same stream as the call's own events, so it arrives before the call's last Hangup.
  @OnAmiEvent('UserEvent', LEADER)
  onUserEvent(event: AmiEvent): void {
    const linkedid = event.Linkedid;
    if (event.UserEvent !== CALLBACK_REQUEST || typeof linkedid !== 'string') return;
    this.callbacks.add(linkedid);
    if (this.callbacks.size > PENDING_CALLBACKS)
      this.callbacks.delete(this.callbacks.values().next().value as string);
  }

  // Calls that ended while no event could be read are dropped by the resync, not kept forever.
  @OnAmiConnected()
  @OnAmiEventGap()
  onResync(): void {
    this.source.resync();
  }

  private log(finished: FinishedCall): void {
    const call: FinishedCall = this.callbacks.delete(finished.id)
      ? { ...finished, callbackRequested: true }
      : finished;
    this.finished.push(call);
    if (this.finished.length > this.capacity) this.finished.shift();
    this.logger.log(
      `Call ${call.id}: ${call.caller} -> ${call.callee}, ${call.durationSeconds} s ` +
        `(talk ${call.talkSeconds} s), ${call.dialStatus ?? 'not dialled'}, ` +
        `cause ${call.cause} ${call.causeText}${call.callbackRequested ? ', callback requested' : ''}`,
    );
  }
}
