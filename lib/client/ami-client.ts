import { EventEmitter } from 'node:events';
import { type InspectOptions, inspect } from 'node:util';
import { type AmiActionError, AmiDisconnectedError, AmiError } from '../errors/ami-errors.js';
import type { AmiAction } from '../protocol/action-serializer.js';
import { type AmiEvent, type AmiResponse, headerValues } from '../protocol/ami-message.js';
import type {
  AmiActionInput,
  AmiActionNameInput,
  AmiActionParamsInput,
  AmiListItem,
} from '../types/ami-action-types.js';
import type { AmiEventByName, AmiEventNameInput } from '../types/ami-event-types.js';
import {
  type AmiUserEvent,
  type AmiUserEventDefinition,
  type AmiUserEventInput,
  isAmiUserEvent,
  userEventAction,
} from '../types/user-events.js';
import { ActionSender } from './action-sender.js';
import type {
  AmiClientEvents,
  AmiClientOptions,
  AmiConnectionState,
  AmiConnectOptions,
  AmiEventList,
  AmiEventListener,
  AmiOriginateOptions,
  AmiSendOptions,
} from './ami-client.types.js';
import { type ResolvedAmiClientOptions, resolveOptions } from './ami-client-options.js';
import { AmiSession, type AmiSessionLoss } from './ami-session.js';
import { ConnectionAttempts } from './connection-attempts.js';
import { EventSubscriptions } from './event-subscriptions.js';
import { type EventFilterSet, EventFilterSource } from './filters/event-filter.js';
import type { AmiLoginFilter } from './filters/install-event-filter.js';
import { FrameTracer } from './frame-tracer.js';
import { InboundRouter } from './inbound-router.js';
import { IsolatedListeners } from './isolated-listeners.js';
import { type AwaitedOutcome, PendingActions } from './pending-actions.js';
import { sensitiveHeaderSet } from './redaction.js';

const RESPONSE: AwaitedOutcome = { kind: 'response' };
const LIST: AwaitedOutcome = { kind: 'list' };
const ORIGINATE_RESPONSE: AwaitedOutcome = { kind: 'event', event: 'OriginateResponse' };

/**
 * A connection to one Asterisk Manager Interface: login, actions correlated by ActionID, events,
 * reconnection with backoff, and dead-peer detection. Framework-free.
 */
export class AmiClient extends EventEmitter<AmiClientEvents> {
  private readonly options: ResolvedAmiClientOptions;
  private readonly pending: PendingActions;
  private readonly isolated: IsolatedListeners;
  private readonly subscriptions: EventSubscriptions;
  private readonly sender: ActionSender;
  private readonly router: InboundRouter;
  private readonly attempts: ConnectionAttempts;
  private session: AmiSession | null = null;
  private currentState: AmiConnectionState = 'disconnected';
  private disconnecting: Promise<void> | null = null;
  /** Set by disconnect(), destroy(), Logoff and refused credentials: no reconnection until connect(). */
  private stopped = true;
  private referenced = true;
  private lastAmiVersion: string | null = null;
  private readonly eventFilter: EventFilterSource | null;
  /** The filter of the current session (installed at its login); null: every event is delivered. */
  private sessionFilter: EventFilterSet | null = null;
  private warnedFilterRefused = false;

  constructor(options: AmiClientOptions) {
    super();
    this.options = resolveOptions(options);
    const { logger, traceFrames } = this.options;
    const sensitiveHeaders = sensitiveHeaderSet(this.options.sensitiveHeaders);
    this.eventFilter =
      options.eventFilter === undefined ? null : new EventFilterSource(options.eventFilter, logger);
    this.pending = new PendingActions(sensitiveHeaders);
    this.isolated = new IsolatedListeners(logger);
    this.subscriptions = new EventSubscriptions(this.isolated);
    const tracer = traceFrames ? new FrameTracer(logger, sensitiveHeaders) : null;
    this.sender = new ActionSender(this.options, this.pending, tracer, {
      connectedSession: () => (this.currentState === 'connected' ? this.session : null),
      isStopped: () => this.stopped,
    });
    this.router = new InboundRouter(this.pending, this.subscriptions, logger, tracer, {
      delivering: (session) => this.delivering(session),
      admits: (event) => this.sessionFilter === null || this.sessionFilter.admits(event),
      loggedOff: () => {
        this.stopped = true;
      },
      reportError: (error) => this.reportError(error),
    });
    this.attempts = new ConnectionAttempts(this.options.reconnect, {
      isStopped: () => this.stopped,
      openSession: () => this.openSession(),
      connecting: () => this.setState('connecting'),
      reconnecting: (info) => {
        this.setState('reconnecting');
        this.notify('reconnecting', info);
      },
      attemptFailed: (error) => {
        if (error instanceof AmiError) this.reportError(error);
      },
      giveUp: (error) => {
        this.stopped = true;
        this.sender.rejectWaiting(error);
        this.setState('disconnected');
        return error;
      },
    });
  }

  get state(): AmiConnectionState {
    return this.currentState;
  }

  get isConnected(): boolean {
    return this.currentState === 'connected';
  }

  /** Whether a loss will be (or is being) followed by a reconnection. */
  get willReconnect(): boolean {
    return !this.stopped && this.options.reconnect !== null;
  }

  /** The AMI version of the last banner read (`11.0.0` for Asterisk 22), or null before the first. */
  get amiVersion(): string | null {
    return this.lastAmiVersion;
  }

  /**
   * What every ActionID of this client starts with: `<actionIdPrefix><8 random base36>-`, drawn once per
   * client. Cluster mode filters this client's session on it (Asterisk's `Filter` action).
   */
  get actionIdStem(): string {
    return this.sender.actionIdStem;
  }

  /** Actions sent and not yet settled. */
  get pendingActionCount(): number {
    return this.pending.size;
  }

  /** Resolves once logged in. Rejects with AmiConnectionError, AmiProtocolError or AmiAuthenticationError. */
  connect(options: AmiConnectOptions = {}): Promise<void> {
    // A connection opened while the last one closes would be closed with it: wait for the close first.
    if (this.disconnecting !== null) return this.disconnecting.then(() => this.connect(options));
    if (this.currentState === 'connected') return Promise.resolve();
    this.stopped = false;
    return this.attempts.start(options.retry === true, false);
  }

  /** Sends Logoff, waits (bounded) for Goodbye and the close, and stops reconnecting. */
  disconnect(): Promise<void> {
    // Calls made meanwhile share the first: a second one would end the socket before the Logoff leaves.
    this.disconnecting ??= this.logoffAndClose().finally(() => {
      this.disconnecting = null;
    });
    return this.disconnecting;
  }

  private async logoffAndClose(): Promise<void> {
    this.stop();
    const session = this.session;
    if (session === null) return this.setState('disconnected');
    this.setState('disconnecting');
    if (session.loggedIn && !session.closed) {
      session.expectLoss('logoff');
      await this.sender
        .transmit(session, { Action: 'Logoff' }, this.options.logoffTimeout, RESPONSE)
        .catch(() => undefined);
    }
    await session.close();
    this.setState('disconnected');
  }

  /** Closes at once, without Logoff, and stops reconnecting. */
  destroy(): void {
    this.stop();
    this.session?.lose('destroyed');
    this.setState('disconnected');
  }

  /** Lets the process exit while the client is connected (or waiting to reconnect). */
  unref(): this {
    this.referenced = false;
    this.session?.unref();
    this.attempts.unref();
    return this;
  }

  ref(): this {
    this.referenced = true;
    this.session?.ref();
    this.attempts.ref();
    return this;
  }

  /**
   * Sends an action; resolves with its response. A list action resolves after its Complete event.
   * A documented action's parameters are checked at compile time; any other name takes any headers.
   */
  send<N extends AmiActionNameInput>(
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiResponse>;
  send(action: AmiAction, options: AmiSendOptions = {}): Promise<AmiResponse> {
    return this.sender.dispatch(action, options, RESPONSE) as Promise<AmiResponse>;
  }

  /** Sends a list action (CoreShowChannels, QueueStatus...) and collects its events up to Complete. */
  sendList<N extends AmiActionNameInput, TItem extends AmiEvent = AmiListItem<N>>(
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiEventList<TItem>>;
  sendList<TItem extends AmiEvent>(
    action: AmiAction,
    options: AmiSendOptions = {},
  ): Promise<AmiEventList<TItem>> {
    return this.sender.dispatch(action, options, LIST) as Promise<AmiEventList<TItem>>;
  }

  /** Runs a CLI command; resolves with its output lines (the 14+ `Output:` form and the legacy `Follows` form). */
  async command(command: string, options: AmiSendOptions = {}): Promise<string[]> {
    const response = await this.send({ Action: 'Command', Command: command }, options);
    return headerValues(response, 'Output');
  }

  /**
   * Originates a call. By default it is sent with `Async: true` and resolves with its OriginateResponse
   * event (rejects with AmiActionError when that says Failure). The default timeout covers the
   * originate's own `Timeout` header (30 s when absent) plus the action timeout.
   */
  originate<P extends object>(
    params: AmiActionParamsInput<'Originate', P>,
    options?: AmiOriginateOptions & { waitForResult?: true },
  ): Promise<AmiEventByName<'OriginateResponse'>>;
  originate<P extends object>(
    params: AmiActionParamsInput<'Originate', P>,
    options: AmiOriginateOptions & { waitForResult: false },
  ): Promise<AmiResponse>;
  originate<P extends object>(
    params: AmiActionParamsInput<'Originate', P>,
    options?: AmiOriginateOptions,
  ): Promise<AmiEventByName<'OriginateResponse'> | AmiResponse>;
  originate(
    params: Omit<AmiAction, 'Action'>,
    options: AmiOriginateOptions = {},
  ): Promise<AmiEvent | AmiResponse> {
    const action: AmiAction = { ...params, Action: 'Originate' };
    if (options.waitForResult === false) return this.send(action, options);
    action.Async = true;
    const ringTimeout = Number(params.Timeout ?? 30_000);
    const timeout =
      options.timeout ?? (Number.isFinite(ringTimeout) ? ringTimeout : 30_000) + this.options.actionTimeout;
    return this.sender.dispatch(action, { ...options, timeout }, ORIGINATE_RESPONSE) as Promise<AmiEvent>;
  }

  /**
   * Listens to events by name (case-insensitive), or to all with `'*'`: the one way to receive events.
   * Returns the unsubscribe function. The context says whether the event answers one of this client's
   * actions (list items, OriginateResponse).
   */
  onEvent<N extends AmiEventNameInput>(name: N, listener: AmiEventListener<AmiEventByName<N>>): () => void;
  onEvent(name: string, listener: AmiEventListener<AmiEvent>): () => void {
    return this.subscriptions.add(name, listener as AmiEventListener);
  }

  /**
   * Sends a UserEvent declared with `defineAmiUserEvent`: Asterisk broadcasts it to every session that
   * reads the `user` class (this one too). Values with CR, LF or NUL are refused before anything is sent.
   */
  async userEvent<F extends object>(
    definition: AmiUserEventDefinition<F>,
    fields: NoInfer<AmiUserEventInput<F>>,
    options?: AmiSendOptions,
  ): Promise<AmiResponse> {
    return this.send(userEventAction(definition, fields), options);
  }

  /** Listens to the UserEvents of that definition, typed by it. Returns the unsubscribe function. */
  onUserEvent<F extends object>(
    definition: AmiUserEventDefinition<F>,
    listener: AmiEventListener<AmiUserEvent<F>>,
  ): () => void {
    return this.onEvent('UserEvent', (event, context) =>
      isAmiUserEvent(event, definition) ? listener(event, context) : undefined,
    );
  }

  private stop(): void {
    this.stopped = true;
    this.attempts.wake();
    this.sender.rejectWaiting(new AmiDisconnectedError('the client was disconnected'));
  }

  /** One connection attempt: a new session, its banner and login. */
  private async openSession(): Promise<void> {
    this.sessionFilter = this.eventFilter?.atLogin() ?? null;
    const session: AmiSession = new AmiSession(
      this.options,
      {
        onBanner: (version) => {
          this.lastAmiVersion = version;
          this.notify('connect', { amiVersion: version });
        },
        onMessage: (message) => this.router.receive(session, message),
        onFailure: (error) => this.reportError(error),
        onLost: (loss) => this.onSessionLost(session, loss),
      },
      (action, timeout) => this.sender.transmit(session, action, timeout, RESPONSE) as Promise<AmiResponse>,
      this.loginFilter(this.sessionFilter),
    );
    this.session = session;
    if (!this.referenced) session.unref();
    await session.open();
    this.setState('connected');
    const { host, port, username } = this.options;
    this.options.logger.log(`AMI logged in to ${host}:${port} as ${username}`);
    this.notify('login');
    this.sender.releaseWaiting();
  }

  private loginFilter(filter: EventFilterSet | null): AmiLoginFilter | null {
    if (filter === null) return null;
    return { filter, actionIdStem: this.actionIdStem, refused: (error) => this.filterRefused(error) };
  }

  private filterRefused(error: AmiActionError): void {
    if (this.warnedFilterRefused) return;
    this.warnedFilterRefused = true;
    this.options.logger.warn(
      `AMI: Asterisk refused the event Filter (${error.message}); the session stays unfiltered and ` +
        "events are dropped here instead (the AMI user needs 'system' write permission)",
    );
  }

  private onSessionLost(session: AmiSession, { reason, error, announced, loggedIn }: AmiSessionLoss): void {
    if (this.session !== session) return;
    this.session = null;
    this.pending.rejectAll(
      (action) => new AmiDisconnectedError(`${action}: the connection closed before the answer`, action),
    );
    const lost = loggedIn && !this.stopped && this.options.reconnect !== null;
    if (announced) {
      const message = `AMI disconnected from ${this.options.host}:${this.options.port} (${reason})`;
      if (reason === 'logoff' || reason === 'destroyed') this.options.logger.log(message);
      else this.options.logger.warn(message);
      // A session lost during its login, while attempts retry, is followed by another attempt.
      const willReconnect = lost || (!loggedIn && !this.stopped && this.attempts.retrying);
      this.notify('disconnect', { reason, error, willReconnect });
    }
    if (lost) {
      // connect() called meanwhile returns this run: it must reject when the reconnection fails.
      if (!this.attempts.running) {
        this.attempts.start(true, true).catch((failure: Error) => {
          this.options.logger.error(`AMI reconnection stopped: ${failure.message}`);
        });
      }
    } else if (loggedIn) {
      this.setState('disconnected');
    }
  }

  /**
   * Events of `session` reach listeners only while it is the client's live session: not once `destroy()`
   * or `disconnect()` was called (from a listener, too: the rest of the same read is not delivered).
   */
  private delivering(session: AmiSession): boolean {
    return !this.stopped && this.session === session && !session.closed;
  }

  /** emit() that no listener can break: see IsolatedListeners. */
  private notify<K extends keyof AmiClientEvents>(name: K, ...args: AmiClientEvents[K]): void {
    if (this.listenerCount(name) === 0) return;
    const listeners = this.rawListeners(name) as ((...args: unknown[]) => unknown)[];
    this.isolated.callEach(listeners, this, args, () => `${name} listener failed`);
  }

  private setState(state: AmiConnectionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.notify('stateChange', state);
  }

  private reportError(error: AmiError): void {
    this.options.logger.error(`AMI: ${error.message}`);
    this.notify('error', error);
  }

  /**
   * What `console.log(client)`, `util.inspect` and `JSON.stringify` show: where it connects and how it
   * is, never its options (the secret) nor its internals (frames waiting to be written hold the Login).
   */
  toJSON(): Record<string, unknown> {
    return {
      host: this.options.host,
      port: this.options.port,
      username: this.options.username,
      state: this.currentState,
      amiVersion: this.lastAmiVersion,
      pendingActions: this.pending.size,
    };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `AmiClient ${inspect(this.toJSON(), { ...options, showHidden: false })}`;
  }
}
