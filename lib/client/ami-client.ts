import { EventEmitter } from 'node:events';
import { type InspectOptions, inspect } from 'node:util';
import {
  AmiAuthenticationError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiError,
  AmiProtocolError,
  AmiTimeoutError,
} from '../errors/ami-errors.js';
import { type AmiAction, checkEncodable, serializeAction } from '../protocol/action-serializer.js';
import { type AmiEvent, type AmiMessage, type AmiResponse, headerValues } from '../protocol/ami-message.js';
import type { FrameParserSink } from '../protocol/frame-parser.js';
import type {
  AmiActionInput,
  AmiActionNameInput,
  AmiActionParamsInput,
  AmiListItem,
} from '../types/ami-action-types.js';
import type { AmiEventByName, AmiEventNameInput } from '../types/ami-event-types.js';
import { ActionIdGenerator } from './action-ids.js';
import type {
  AmiClientEvents,
  AmiConnectionState,
  AmiConnectOptions,
  AmiEventContext,
  AmiEventList,
  AmiEventListener,
  AmiOriginateOptions,
  AmiSendOptions,
} from './ami-client.types.js';
import {
  type AmiClientOptions,
  checkTimeout,
  type ResolvedAmiClientOptions,
  resolveOptions,
} from './ami-client-options.js';
import { AmiSession } from './ami-session.js';
import { reconnectDelay } from './backoff.js';
import { ConnectionWaiters } from './connection-waiters.js';
import { EventSubscriptions } from './event-subscriptions.js';
import { logIn } from './login.js';
import { type AwaitedOutcome, PendingActions } from './pending-actions.js';
import { redactHeaders, sensitiveHeaderSet } from './redaction.js';

const RESPONSE: AwaitedOutcome = { kind: 'response' };
const LIST: AwaitedOutcome = { kind: 'list' };
const ORIGINATE_RESPONSE: AwaitedOutcome = { kind: 'event', event: 'OriginateResponse' };

/**
 * A connection to one Asterisk Manager Interface: login, actions correlated by ActionID, events,
 * reconnection with backoff, and dead-peer detection. Framework-free.
 */
export class AmiClient extends EventEmitter<AmiClientEvents> {
  private readonly options: ResolvedAmiClientOptions;
  private readonly sensitiveHeaders: ReadonlySet<string>;
  private readonly actionIds: ActionIdGenerator;
  private readonly pending: PendingActions;
  private readonly subscriptions: EventSubscriptions;
  private readonly connectionWaiters = new ConnectionWaiters();
  private session: AmiSession | null = null;
  private currentState: AmiConnectionState = 'disconnected';
  private establishing: Promise<void> | null = null;
  /** Whether the attempts under way retry a failed one (reconnection, or connect({ retry: true })). */
  private establishingWithRetry = false;
  private disconnecting: Promise<void> | null = null;
  /** Set by disconnect(), destroy(), Logoff and refused credentials: no reconnection until connect(). */
  private stopped = true;
  private referenced = true;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private retryTimer: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private lastAmiVersion: string | null = null;

  constructor(options: AmiClientOptions) {
    super();
    this.options = resolveOptions(options);
    this.sensitiveHeaders = sensitiveHeaderSet(this.options.sensitiveHeaders);
    this.pending = new PendingActions(this.sensitiveHeaders);
    this.actionIds = new ActionIdGenerator(this.options.actionIdPrefix);
    this.subscriptions = new EventSubscriptions((error, event) => this.reportListenerError(error, event));
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
    this.establishing ??= this.establish(options.retry === true, false).finally(() => {
      this.establishing = null;
    });
    return this.establishing;
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
      session.lossReason ??= 'logoff';
      await this.transmit(session, { Action: 'Logoff' }, this.options.logoffTimeout, RESPONSE).catch(
        () => undefined,
      );
    }
    await this.closeGracefully(session);
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
    this.session?.socket.unref();
    this.retryTimer?.timer.unref();
    return this;
  }

  ref(): this {
    this.referenced = true;
    this.session?.socket.ref();
    this.retryTimer?.timer.ref();
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
    return this.dispatch(action, options, RESPONSE) as Promise<AmiResponse>;
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
    return this.dispatch(action, options, LIST) as Promise<AmiEventList<TItem>>;
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
    return this.dispatch(action, { ...options, timeout }, ORIGINATE_RESPONSE) as Promise<AmiEvent>;
  }

  /**
   * Listens to events by name (case-insensitive), or to all with `'*'`. Returns the unsubscribe function.
   * The context says whether the event answers one of this client's actions (list items, OriginateResponse).
   */
  onEvent<N extends AmiEventNameInput>(name: N, listener: AmiEventListener<AmiEventByName<N>>): () => void;
  onEvent(name: string, listener: AmiEventListener<AmiEvent>): () => void {
    return this.subscriptions.add(name, listener as AmiEventListener);
  }

  private dispatch(action: AmiAction, options: AmiSendOptions, outcome: AwaitedOutcome): Promise<unknown> {
    let timeout: number;
    try {
      timeout = checkTimeout('timeout', options.timeout ?? this.options.actionTimeout);
    } catch (error) {
      return Promise.reject(error);
    }
    const session = this.session;
    if (this.currentState === 'connected' && session !== null)
      return this.transmit(session, action, timeout, outcome);
    const wait = options.waitForConnection ?? this.options.waitForConnection;
    const name = String(action.Action);
    if (wait <= 0 || this.stopped) {
      return Promise.reject(new AmiDisconnectedError(`${name} not sent: not connected to Asterisk`, name));
    }
    return this.connectionWaiters
      .wait(wait, name)
      .then(() => this.dispatch(action, { ...options, waitForConnection: 0 }, outcome));
  }

  private transmit(
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
    if (this.options.traceFrames) this.trace('->', { ...action, ActionID: id });
    session.writer.write(frame);
    return settled;
  }

  private async establish(retry: boolean, afterLoss: boolean): Promise<void> {
    this.establishingWithRetry = retry;
    // Waits between attempts follow the backoff; after a loss even the first attempt waits.
    let attempt = 0;
    // connect()'s own try is not a reconnection attempt: the first retry after it is attempt 1.
    let firstTry = !afterLoss;
    let lastError: Error | undefined;
    for (;;) {
      if (!firstTry) {
        attempt += 1;
        const reconnect = this.options.reconnect;
        if (reconnect === null || attempt > reconnect.maxAttempts) throw this.giveUp(lastError);
        const delay = reconnectDelay(attempt, reconnect);
        this.setState('reconnecting');
        this.notify('reconnecting', { attempt, delay, error: lastError });
        await this.sleep(delay);
      } else {
        firstTry = false;
        this.setState('connecting');
      }
      if (this.stopped)
        throw this.giveUp(new AmiDisconnectedError('connection attempt cancelled by disconnect()'));
      try {
        await this.openSession();
        return;
      } catch (error) {
        lastError = error as Error;
        if (this.stopped && !(lastError instanceof AmiAuthenticationError)) {
          throw this.giveUp(new AmiDisconnectedError('connection attempt cancelled by disconnect()'));
        }
        if (lastError instanceof AmiError) this.reportError(lastError);
        if (!retry || !this.isRetryable(lastError, afterLoss)) throw this.giveUp(lastError);
      }
    }
  }

  private giveUp(error: Error | undefined): Error {
    const reason = error ?? new AmiConnectionError('reconnection disabled');
    this.stopped = true;
    this.connectionWaiters.rejectAll(reason);
    this.setState('disconnected');
    return reason;
  }

  private isRetryable(error: Error, afterLoss: boolean): boolean {
    if (error instanceof AmiConnectionError) return true;
    // A server that was AMI a moment ago and now sends garbage is restarting, not impersonating.
    return afterLoss && error instanceof AmiProtocolError;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      const timer = setTimeout(() => {
        this.retryTimer = null;
        wake();
      }, ms);
      if (!this.referenced) timer.unref();
      this.retryTimer = { timer, wake };
    });
  }

  private stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.wake();
      this.retryTimer = null;
    }
    this.connectionWaiters.rejectAll(new AmiDisconnectedError('the client was disconnected'));
  }

  private async openSession(): Promise<void> {
    const session = await this.openSocketAndReadBanner();
    try {
      await this.login(session);
    } catch (error) {
      session.lose('error', error as Error);
      throw error;
    }
    session.loggedIn = true;
    this.setState('connected');
    this.options.logger.log(
      `AMI logged in to ${this.options.host}:${this.options.port} as ${this.options.username}`,
    );
    this.notify('login');
    this.startKeepAlive(session);
    this.connectionWaiters.resolveAll();
  }

  private openSocketAndReadBanner(): Promise<AmiSession> {
    return new Promise((resolve, reject) => {
      const { host, port, connectTimeout } = this.options;
      let waiting = true;
      const settle = (error?: Error) => {
        if (!waiting) return;
        waiting = false;
        clearTimeout(timer);
        if (error) {
          session.lose('error', error);
          reject(error);
        } else {
          resolve(session);
        }
      };
      const sink: FrameParserSink = {
        onBanner: (version) => {
          session.amiVersion = version;
          this.lastAmiVersion = version;
          session.announced = true;
          settle();
          this.notify('connect', { amiVersion: version });
        },
        onMessage: (message) => this.receive(session, message),
        onProtocolError: (error) => {
          if (session.loggedIn) this.reportError(error);
          settle(error);
          session.lose('protocol', error);
        },
      };
      const session = new AmiSession(this.options, sink);
      this.session = session;
      if (!this.referenced) session.socket.unref();
      const timer = setTimeout(() => {
        // A TLS socket is 'open' once TCP connects: a handshake that never ends is still connecting.
        const handshaking = session.socket.readyState === 'open' ? ' (TLS handshake not completed)' : '';
        settle(
          session.transportReady
            ? new AmiProtocolError(
                `no AMI banner from ${host}:${port} within ${connectTimeout} ms: not an AMI server?`,
              )
            : new AmiConnectionError(
                `connecting to ${host}:${port} timed out after ${connectTimeout} ms${handshaking}`,
                'ETIMEDOUT',
              ),
        );
      }, connectTimeout);
      session.socket.on('error', (error: NodeJS.ErrnoException) => {
        const wrapped = new AmiConnectionError(`${host}:${port}: ${error.message}`, error.code, {
          cause: error,
        });
        session.lossReason ??= 'error';
        session.lossError ??= wrapped;
        if (session.loggedIn) this.reportError(wrapped);
        settle(wrapped);
      });
      session.socket.on('close', () => {
        settle(
          session.lossError ??
            new AmiConnectionError(`${host}:${port} closed the connection before the AMI banner`),
        );
        this.onSessionClosed(session);
      });
    });
  }

  private login(session: AmiSession): Promise<void> {
    const send = (action: AmiAction) =>
      this.transmit(session, action, this.options.loginTimeout, RESPONSE) as Promise<AmiResponse>;
    return logIn(send, this.options, () => session.lossError);
  }

  /**
   * The parser's sink for one message. Nothing thrown while routing it may reach the socket's read
   * callback (it would crash the process and lose the rest of the read): it is reported, reading goes on.
   */
  private receive(session: AmiSession, message: AmiMessage): void {
    try {
      this.route(session, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // The logger is guarded and error listeners are isolated: reporting cannot throw in turn.
      this.reportError(
        new AmiProtocolError(`a message from the server could not be handled: ${reason}`, { cause: error }),
      );
    }
  }

  private route(session: AmiSession, message: AmiMessage): void {
    if (this.options.traceFrames) this.trace('<-', message);
    const actionId = message.ActionID;
    if (message.Event !== undefined) {
      const event = message as AmiEvent;
      const accepted = typeof actionId === 'string' && this.pending.onEvent(actionId, event);
      if (event.Event === 'Shutdown') session.lossReason ??= 'shutdown';
      this.deliver(session, event, accepted ? (actionId as string) : undefined);
      return;
    }
    const action = typeof actionId === 'string' ? this.pending.actionName(actionId) : undefined;
    if (action === undefined) {
      this.options.logger.debug(`AMI message matching no pending action: ActionID ${String(actionId)}`);
      return;
    }
    if (message.Response === 'Goodbye' && action === 'Logoff') {
      // The server closes after Goodbye; our own Logoff is a wish to stay disconnected. A Goodbye that
      // answers nothing of ours (a hostile server, a man in the middle) changes nothing.
      session.lossReason ??= 'logoff';
      this.stopped = true;
    }
    this.pending.onResponse(actionId as string, message as AmiResponse);
  }

  /**
   * Whether events of `session` still reach listeners: not once `destroy()` or `disconnect()` was called
   * (from a listener, too: the rest of the same read is not delivered), nor after a newer session opened.
   */
  private delivering(session: AmiSession): boolean {
    return !this.stopped && this.session === session && !session.closed;
  }

  /** To the `event` listeners, then to `onEvent`'s: a listener of the first may have stopped delivery. */
  private deliver(session: AmiSession, event: AmiEvent, actionId: string | undefined): void {
    if (!this.delivering(session)) return;
    const context = actionId === undefined ? UNSOLICITED : { fromAction: true, actionId };
    this.notify('event', event, context);
    if (this.delivering(session)) this.subscriptions.deliver(event, context);
  }

  /**
   * emit() that no listener can break: emit() would skip the listeners after one that throws, and a
   * throw from a socket callback would crash the process. Each listener runs on its own; throws and
   * rejections are logged.
   */
  private notify<K extends keyof AmiClientEvents>(name: K, ...args: AmiClientEvents[K]): void {
    if (this.listenerCount(name) === 0) return;
    for (const listener of this.rawListeners(name) as ((...args: unknown[]) => unknown)[]) {
      try {
        const result = listener.apply(this, args);
        if (result instanceof Promise)
          result.catch((error: unknown) => this.reportListenerFailure(name, error, args));
      } catch (error) {
        this.reportListenerFailure(name, error, args);
      }
    }
  }

  private onSessionClosed(session: AmiSession): void {
    if (this.session !== session) return;
    this.session = null;
    this.stopKeepAlive();
    this.pending.rejectAll(
      (action) => new AmiDisconnectedError(`${action}: the connection closed before the answer`, action),
    );
    const lost = session.loggedIn && !this.stopped && this.options.reconnect !== null;
    if (session.announced) {
      const reason = session.lossReason ?? (this.stopped ? 'logoff' : 'closed');
      const wanted = reason === 'logoff' || reason === 'destroyed';
      const message = `AMI disconnected from ${this.options.host}:${this.options.port} (${reason})`;
      if (wanted) this.options.logger.log(message);
      else this.options.logger.warn(message);
      // A session lost during its login, while attempts retry, is followed by another attempt.
      const retrying = !session.loggedIn && !this.stopped && this.establishing !== null;
      const willReconnect =
        lost || (retrying && this.establishingWithRetry && this.options.reconnect !== null);
      this.notify('disconnect', { reason, error: session.lossError, willReconnect });
    }
    if (lost) {
      if (this.establishing === null) {
        // connect() called meanwhile returns this promise: it must reject when the reconnection fails.
        const reconnection = this.establish(true, true).finally(() => {
          this.establishing = null;
        });
        reconnection.catch((error: Error) => {
          this.options.logger.error(`AMI reconnection stopped: ${error.message}`);
        });
        this.establishing = reconnection;
      }
    } else if (session.loggedIn) {
      this.setState('disconnected');
    }
  }

  private closeGracefully(session: AmiSession): Promise<void> {
    if (session.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => session.socket.destroy(), this.options.logoffTimeout);
      session.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      session.socket.end();
    });
  }

  private startKeepAlive(session: AmiSession): void {
    const keepAlive = this.options.keepAlive;
    if (keepAlive === null) return;
    let missed = 0;
    this.keepAliveTimer = setInterval(() => {
      this.transmit(session, { Action: 'Ping' }, keepAlive.interval, RESPONSE).then(
        () => {
          missed = 0;
        },
        (error) => {
          if (!(error instanceof AmiTimeoutError) || this.session !== session) return;
          missed += 1;
          if (missed < keepAlive.maxMissed) return;
          const dead = new AmiConnectionError(
            `no answer to ${missed} pings in a row: the peer is gone`,
            'ETIMEDOUT',
          );
          this.reportError(dead);
          session.lose('keepalive', dead);
        },
      );
    }, keepAlive.interval);
    this.keepAliveTimer.unref();
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer !== null) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
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

  private reportListenerFailure(name: keyof AmiClientEvents, error: unknown, args: unknown[]): void {
    if (name === 'event') return this.reportListenerError(error, args[0] as AmiEvent);
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.error(`AMI ${name} listener failed: ${message}`);
  }

  private reportListenerError(error: unknown, event: AmiEvent): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.error(`AMI event listener failed on ${event.Event}: ${message}`);
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

  private trace(direction: '->' | '<-', headers: Readonly<Record<string, unknown>>): void {
    this.options.logger.debug(
      `AMI ${direction} ${JSON.stringify(redactHeaders(headers, this.sensitiveHeaders))}`,
    );
  }
}

const UNSOLICITED: AmiEventContext = Object.freeze({ fromAction: false });
