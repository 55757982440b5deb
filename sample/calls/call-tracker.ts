import type { AmiCallSummary, AmiClient, AmiEvent, AmiLiveSource } from 'nestjs-ami';
import type { FinishedCall } from './finished-call.js';

type Listener = (event: AmiEvent) => void;

/**
 * Where the call log's AmiCallTracker reads from: the events the call log's own handlers receive (in
 * cluster mode `leader` deliveries, so each call is followed, and logged, by one replica), actions through
 * this replica's client, and a resync when the call log is told to (each login, each eventGap).
 */
export class CallLogSource implements AmiLiveSource {
  readonly events = {
    onEvent: (name: string, listener: Listener): (() => void) => {
      const entry = { name: name.toLowerCase(), listener };
      this.listeners.push(entry);
      return () => {
        this.listeners = this.listeners.filter((other) => other !== entry);
      };
    },
  };
  private listeners: { name: string; listener: Listener }[] = [];
  private resyncListeners: (() => void)[] = [];

  constructor(readonly actions: AmiClient) {}

  onResync(listener: () => void): () => void {
    this.resyncListeners.push(listener);
    return () => {
      this.resyncListeners = this.resyncListeners.filter((other) => other !== listener);
    };
  }

  /** Hands one event to the tracker. */
  deliver(event: AmiEvent): void {
    const name = event.Event.toLowerCase();
    for (const { name: wanted, listener } of this.listeners)
      if (wanted === name || wanted === '*') listener(event);
  }

  resync(): void {
    for (const listener of this.resyncListeners) listener();
  }
}

/** A tracked call's summary as the call log shows it. */
export function finishedCall(summary: AmiCallSummary): FinishedCall {
  return {
    id: summary.linkedid,
    caller: summary.from,
    callee: summary.to,
    channel: summary.channel,
    dialStatus: summary.dialStatus ?? null,
    startedAt: new Date(summary.startedAt).toISOString(),
    answeredAt: summary.answeredAt === undefined ? null : new Date(summary.answeredAt).toISOString(),
    endedAt: new Date(summary.endedAt).toISOString(),
    durationSeconds: seconds(summary.durationMs),
    talkSeconds: seconds(summary.talkTimeMs),
    cause: Number(summary.cause),
    causeText: summary.causeTxt,
  };
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
