import { AmiClient } from '../client/ami-client.js';
import type { AmiClientOptions } from '../client/ami-client.types.js';
import type { AmiLogSink } from '../client/ami-logger.js';
import { type AmiRelayLeadership, type AmiRelayPublisher, relayEvents } from './event-relay.js';

/** The publisher's part the event session uses: events, and the gap marker at each login. */
export interface AmiGapPublisher extends AmiRelayPublisher {
  /** Queues a gap marker (fenced, in order with the events): nothing was seen until `to` (ms). */
  publishGap(to: number): void;
}

/** How the leader learns that its event session cannot do its job (then it resigns). */
export interface AmiEventSessionWatch {
  /** ms the session may go without being logged in: after open(), and after each loss. */
  readonly timeout: number;
  /** Called once: the session gave up (Asterisk refused the login) or stayed logged out past `timeout`. */
  readonly onFailure: (why: string) => void;
  /** Called at each login. */
  readonly onLogin?: () => void;
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
  private failed = false;
  private loggedIn = false;
  private deadline: NodeJS.Timeout | undefined;
  private lastError: string | undefined;

  constructor(
    clientOptions: AmiClientOptions,
    leadership: AmiRelayLeadership,
    publisher: AmiGapPublisher,
    private readonly log: AmiLogSink,
    private readonly watch?: AmiEventSessionWatch,
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
      this.loggedIn = true;
      this.lastError = undefined;
      clearTimeout(this.deadline);
      this.watch?.onLogin?.();
    });
    this.client.on('disconnect', () => {
      this.markerQueued = false;
      // Also told of a session lost during its login: the deadline started at open() still runs then.
      if (!this.loggedIn) return;
      this.loggedIn = false;
      this.armDeadline();
    });
    this.client.on('reconnecting', (info) => {
      if (info.error !== undefined) this.lastError = info.error.message;
    });
    this.stopRelay = relayEvents(this.client, relayGate, publisher);
  }

  /** Connects, retrying until logged in or closed. */
  open(): void {
    this.armDeadline();
    this.client.connect({ retry: true }).catch((error: unknown) => {
      if (this.closed) return;
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`cluster: the leader's AMI event session could not log in: ${message}`);
      this.fail(`could not log in: ${message}`);
    });
  }

  /** A leader without its event session leaves the group deaf: past the timeout, it must hand over. */
  private armDeadline(): void {
    const watch = this.watch;
    if (watch === undefined || this.closed) return;
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      const last = this.lastError === undefined ? '' : ` (last error: ${this.lastError})`;
      this.fail(`was not logged in within ${watch.timeout} ms${last}`);
    }, watch.timeout);
  }

  private fail(why: string): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    clearTimeout(this.deadline);
    this.watch?.onFailure(why);
  }

  /** Whether it is logged in and relaying (for tests and figures). */
  get relaying(): boolean {
    return this.markerQueued && !this.closed;
  }

  /** Stops relaying at once and closes the session without Logoff. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.deadline);
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
