import type { AmiClient, AmiEvent, AmiLiveSource } from '../../../../lib/client.js';
import { AmiActionError } from '../../../../lib/client.js';

interface PendingOriginate {
  params: Record<string, unknown>;
  succeed(reason?: string): void;
  fail(reason: string): void;
  error(error: Error): void;
}

/** An AmiLiveSource driven by the test: it pushes events, answers the Originates and the channel listings. */
export class FakeCallSource implements AmiLiveSource {
  readonly originates: PendingOriginate[] = [];
  /** Rows of CoreShowChannels; null: the listing fails (not connected). */
  listing: AmiEvent[] | null = [];
  listings = 0;
  /** Runs while a listing is under way, before it answers (events that race it). */
  duringListing: (() => void) | null = null;
  private listeners: { name: string; listener: (event: AmiEvent) => void }[] = [];
  private resyncs: (() => void)[] = [];
  readonly events = {
    onEvent: (name: string, listener: (event: AmiEvent) => void) => {
      const entry = { name: name.toLowerCase(), listener };
      this.listeners.push(entry);
      return () => {
        this.listeners = this.listeners.filter((other) => other !== entry);
      };
    },
  };
  readonly actions = {
    isConnected: true,
    originate: (params: Record<string, unknown>) =>
      new Promise((resolve, reject) => {
        this.originates.push({
          params,
          succeed: (reason = '4') =>
            resolve({ Event: 'OriginateResponse', Response: 'Success', Reason: reason }),
          fail: (reason) =>
            reject(
              new AmiActionError(
                'Originate failed',
                { Event: 'OriginateResponse', Response: 'Failure', Reason: reason },
                'Originate',
              ),
            ),
          error: reject,
        });
      }),
    sendList: async () => {
      this.listings += 1;
      const rows = this.listing;
      this.duringListing?.();
      if (rows === null) throw new Error('not connected');
      return { response: { Response: 'Success' }, events: rows };
    },
  } as unknown as AmiClient;

  emit(...events: AmiEvent[]): void {
    for (const event of events)
      for (const { name, listener } of this.listeners)
        if (name === '*' || name === event.Event.toLowerCase()) listener(event);
  }

  resync(): void {
    for (const listener of this.resyncs) listener();
  }

  onResync(listener: () => void): () => void {
    this.resyncs.push(listener);
    return () => {
      this.resyncs = this.resyncs.filter((other) => other !== listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.length + this.resyncs.length;
  }
}

/** A CoreShowChannel row. */
export const listed = (
  uniqueid: string,
  linkedid: string,
  fields: Record<string, string> = {},
): AmiEvent => ({
  Event: 'CoreShowChannel',
  Channel: `Local/x@calls-00000001;${uniqueid.endsWith('-2') ? 2 : 1}`,
  Uniqueid: uniqueid,
  Linkedid: linkedid,
  ChannelState: '6',
  CallerIDNum: '1001',
  Exten: 'x',
  Duration: '00:00:07',
  ...fields,
});
