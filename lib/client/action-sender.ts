import { AmiDisconnectedError } from '../errors/ami-errors.js';
import { type AmiAction, checkEncodable, serializeAction } from '../protocol/action-serializer.js';
import { ActionIdGenerator } from './action-ids.js';
import type { AmiSendOptions } from './ami-client.types.js';
import { checkTimeout, type ResolvedAmiClientOptions } from './ami-client-options.js';
import type { AmiSession } from './ami-session.js';
import { ConnectionWaiters } from './connection-waiters.js';
import type { FrameTracer } from './frame-tracer.js';
import type { AwaitedOutcome, PendingActions } from './pending-actions.js';

/** What the sender needs of its client. */
export interface ActionSenderHost {
  /** The session actions go to now: the logged-in one, else null. */
  connectedSession(): AmiSession | null;
  /** Whether the client stopped: no connection is coming, so no action waits for one. */
  isStopped(): boolean;
}

type SenderOptions = Pick<
  ResolvedAmiClientOptions,
  'actionIdPrefix' | 'actionTimeout' | 'waitForConnection' | 'encoding'
>;

/**
 * Puts actions on the wire: an ActionID each, the encoding check, the pending entry that its answer
 * settles. While disconnected, an action waits (bounded) for the next login.
 */
export class ActionSender {
  private readonly actionIds: ActionIdGenerator;
  private readonly waiters = new ConnectionWaiters();

  constructor(
    private readonly options: SenderOptions,
    private readonly pending: PendingActions,
    private readonly tracer: FrameTracer | null,
    private readonly host: ActionSenderHost,
  ) {
    this.actionIds = new ActionIdGenerator(options.actionIdPrefix);
  }

  /** What every ActionID this sender draws starts with. */
  get actionIdStem(): string {
    return this.actionIds.stem;
  }

  /** Sends over the logged-in session, or waits for one as `options.waitForConnection` says. */
  dispatch(action: AmiAction, options: AmiSendOptions, outcome: AwaitedOutcome): Promise<unknown> {
    let timeout: number;
    try {
      timeout = checkTimeout('timeout', options.timeout ?? this.options.actionTimeout);
    } catch (error) {
      return Promise.reject(error);
    }
    const session = this.host.connectedSession();
    if (session !== null) return this.transmit(session, action, timeout, outcome);
    const wait = options.waitForConnection ?? this.options.waitForConnection;
    const name = String(action.Action);
    if (wait <= 0 || this.host.isStopped()) {
      return Promise.reject(new AmiDisconnectedError(`${name} not sent: not connected to Asterisk`, name));
    }
    return this.waiters
      .wait(wait, name)
      .then(() => this.dispatch(action, { ...options, waitForConnection: 0 }, outcome));
  }

  /** Sends over `session`, logged in or not (the login itself, the Logoff). */
  transmit(
    session: AmiSession,
    action: AmiAction,
    timeout: number,
    outcome: AwaitedOutcome,
  ): Promise<unknown> {
    const id = this.actionIds.next();
    let frame: string;
    try {
      frame = serializeAction(action, id);
      checkEncodable(frame, action.Action, this.options.encoding);
    } catch (error) {
      return Promise.reject(error);
    }
    const settled = this.pending.add(id, action.Action, outcome, timeout);
    this.tracer?.trace('->', { ...action, ActionID: id });
    session.write(frame);
    return settled;
  }

  /** Logged in: the actions waiting for a connection go. */
  releaseWaiting(): void {
    this.waiters.resolveAll();
  }

  /** No connection is coming: the actions waiting for one fail with `error`. */
  rejectWaiting(error: Error): void {
    this.waiters.rejectAll(error);
  }
}
