import { AmiClient } from '../client/ami-client.js';
import type { AmiClientOptions } from '../client/ami-client.types.js';
import type { AmiLogSink } from '../client/ami-logger.js';
import { type AmiRelayLeadership, type AmiRelayPublisher, relayEvents } from './event-relay.js';

/** The publisher's part the event session uses: events, and the gap marker at each login. */
export interface AmiGapPublisher extends AmiRelayPublisher {
  /** Queues a gap marker (fenced, in order with the events): nothing was seen until `to` (ms). */
  publishGap(to: number): void;
}

/**
 * The leader's AMI event session: a second AmiClient (same options, all events, ActionIDs `<prefix>ev-`)
 * opened on election, destroyed on deposition. At each login (the first, and every reconnection: events
 * were missed meanwhile) it queues a gap marker, then relays what it receives; events that arrive before
 * the marker is queued fall in the gap and are not relayed.
 */
export class LeaderEventSession {
  private readonly client: AmiClient;
  private readonly stopRelay: () => void;
  private markerQueued = false;
  private closed = false;

  constructor(
    clientOptions: AmiClientOptions,
    leadership: AmiRelayLeadership,
    publisher: AmiGapPublisher,
    private readonly log: AmiLogSink,
  ) {
    this.client = new AmiClient(eventSessionOptions(clientOptions));
    const relaying = () => this.markerQueued && !this.closed && leadership.isLeader;
    const relayGate: AmiRelayLeadership = {
      get isLeader() {
        return relaying();
      },
    };
    this.client.on('login', () => {
      if (this.closed || !leadership.isLeader) return;
      publisher.publishGap(Date.now());
      this.markerQueued = true;
    });
    this.client.on('disconnect', () => {
      this.markerQueued = false;
    });
    this.stopRelay = relayEvents(this.client, relayGate, publisher);
  }

  /** Connects, retrying until logged in or closed. */
  open(): void {
    this.client.connect({ retry: true }).catch((error: unknown) => {
      if (this.closed) return;
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`cluster: the leader's AMI event session could not log in: ${message}`);
    });
  }

  /** Whether it is logged in and relaying (for tests and figures). */
  get relaying(): boolean {
    return this.markerQueued && !this.closed;
  }

  /** Stops relaying at once and closes the session without Logoff. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopRelay();
    this.client.destroy();
    this.client.removeAllListeners();
  }
}

function eventSessionOptions(options: AmiClientOptions): AmiClientOptions {
  return {
    // Keeps the options' eventFilter: the filter belongs on this session (what the group's handlers use).
    ...options,
    events: true,
    actionIdPrefix: `${options.actionIdPrefix ?? ''}ev-`,
    // The group's only eyes on the PBX: it always comes back after a loss while this replica leads.
    reconnect: options.reconnect === false || options.reconnect === undefined ? true : options.reconnect,
  };
}
