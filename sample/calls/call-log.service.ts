import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type AmiDialBeginEvent,
  type AmiDialEndEvent,
  type AmiHangupEvent,
  type AmiNewchannelEvent,
  type AmiNewstateEvent,
  OnAmiEvent,
} from 'nestjs-ami';
import { ChannelRegistry } from '../channels/channel-registry.service.js';
import { callLogSize } from '../config/sample-config.js';
import { CallTracker } from './call-tracker.js';
import type { FinishedCall } from './finished-call.js';

/**
 * Cluster mode: a call is followed through several events in order (Newchannel ... Hangup), so the call
 * log takes them as `leader` deliveries: one replica at a time, in stream order, each event once per
 * group. `once` would spread one call's events over the replicas. Without cluster mode `delivery` changes
 * nothing.
 */
const LEADER = { delivery: 'leader' } as const;

/** Logs every finished call (who called whom, how long, why it ended) and keeps the latest ones. */
@Injectable()
export class CallLogService implements OnModuleInit {
  private readonly logger = new Logger('CallLog');
  private readonly tracker = new CallTracker();
  private readonly finished: FinishedCall[] = [];
  private readonly capacity: number;

  constructor(
    config: ConfigService,
    private readonly channels: ChannelRegistry,
  ) {
    this.capacity = callLogSize(config);
  }

  onModuleInit(): void {
    // After a reconnection, calls that ended while no event could be read are dropped, not kept forever.
    this.channels.onResync((live) => {
      const forgotten = this.tracker.retainLive(live);
      if (forgotten > 0)
        this.logger.warn(`${forgotten} call(s) ended while AMI was disconnected: not logged`);
    });
  }

  /** The latest finished calls, newest first. */
  recent(): FinishedCall[] {
    return [...this.finished].reverse();
  }

  @OnAmiEvent('Newchannel', LEADER)
  onNewchannel(event: AmiNewchannelEvent): void {
    this.tracker.newChannel(event);
  }

  @OnAmiEvent('Newstate', LEADER)
  onNewstate(event: AmiNewstateEvent): void {
    this.tracker.newState(event);
  }

  @OnAmiEvent('DialBegin', LEADER)
  onDialBegin(event: AmiDialBeginEvent): void {
    this.tracker.dialBegin(event);
  }

  @OnAmiEvent('DialEnd', LEADER)
  onDialEnd(event: AmiDialEndEvent): void {
    this.tracker.dialEnd(event);
  }

  @OnAmiEvent('Hangup', LEADER)
  onHangup(event: AmiHangupEvent): void {
    const call = this.tracker.hangup(event);
    if (call === null) return;
    this.finished.push(call);
    if (this.finished.length > this.capacity) this.finished.shift();
    this.logger.log(
      `Call ${call.id}: ${call.caller} -> ${call.callee}, ${call.durationSeconds} s ` +
        `(talk ${call.talkSeconds} s), ${call.dialStatus ?? 'not dialled'}, ` +
        `cause ${call.cause} ${call.causeText}`,
    );
  }
}
