import type { AmiEventContext, AmiLogger } from '../../client/ami-client.types.js';
import type { AmiDelivery } from '../../cluster/cluster.types.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import { ALL_EVENTS, EventNameIndex } from '../../protocol/event-name-index.js';
import type { AmiEventMeta, AmiEventRequest } from '../interfaces/ami-event-meta.interface.js';
import type {
  AmiHandlerErrorContext,
  AmiHandlerErrorHook,
} from '../interfaces/ami-handler-error.interface.js';
import type { AmiLifecycleEvent, AmiLifecycleRequest } from '../interfaces/ami-lifecycle.interface.js';
import { describeError, HandlerFailures } from './handler-failures.js';
import type { EventHandlerRegistration, LifecycleHandlerRegistration } from './handler-registration.js';
import { InFlightTasks } from './in-flight-tasks.js';

export type AmiEventObserver = (event: AmiEvent, meta: AmiEventMeta) => void;

/** Events that arrive before the handlers are wired wait here (bounded) instead of being lost. */
const MAX_EARLY_EVENTS = 10_000;
/** What a handler that finished synchronously counts as among the runs an event started. */
const FINISHED: Promise<void> = Promise.resolve();

/** What the handlers of one cluster delivery did: failures (the entry must not be acknowledged)... */
export interface DeliveryOutcome {
  failed: number;
  /** ...and the runs that returned a promise, with their handler (to name one that never settles). */
  readonly pending: Array<{ readonly handler: EventHandlerRegistration; readonly run: Promise<void> }>;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * One connection's event hub. Every event reaches, in order: the observers (AmiService's observables),
 * the event-emitter bridge, and the @OnAmiEvent handlers. Observers and handlers are kept in one
 * EventNameIndex each; those of the event's name are served before those of `'*'`. Handlers are started,
 * never awaited here, so a slow one cannot hold up the socket; their promises are tracked for a graceful
 * shutdown. A handler that fails is logged and reported, and nothing else notices.
 *
 * In cluster mode (`clustered`) the handlers are kept per delivery mode (`options.delivery`, `once` by
 * default) and events come only from the cluster node's stream readers, through runDelivery (driven by
 * ClusterDelivery in lib/nest/cluster, which settles each delivery for the node).
 */
export class AmiDispatcher {
  /** Every handler without cluster mode; the `every` handlers in cluster mode. */
  private readonly eventHandlers = new EventNameIndex<EventHandlerRegistration>();
  private readonly onceHandlers = new EventNameIndex<EventHandlerRegistration>();
  private readonly leaderHandlers = new EventNameIndex<EventHandlerRegistration>();
  private readonly lifecycleHandlers: LifecycleHandlerRegistration[] = [];
  private observers = new EventNameIndex<AmiEventObserver>();
  private readonly inFlight = new InFlightTasks();
  private early: Array<[AmiEvent, AmiEventMeta]> | null = [];
  private droppedEarly = 0;
  private stopped = false;
  private publisher: AmiEventObserver | null = null;
  private readonly stopCallbacks: Array<() => void> = [];
  private observed: (() => void) | undefined;
  private readonly failures: HandlerFailures;

  constructor(
    readonly connection: string,
    readonly logger: AmiLogger,
    onHandlerError?: AmiHandlerErrorHook,
    /** Cluster mode: handlers are routed by delivery mode and events come from the stream. */
    readonly clustered = false,
  ) {
    this.failures = new HandlerFailures(connection, logger, onHandlerError);
  }

  /** Whether the handlers are wired (the application was bootstrapped) and dispatching has not stopped. */
  get isReady(): boolean {
    return this.early === null && !this.stopped;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Handlers wired, counted once per event name they listen to (`'*'` counts as one). */
  get handlerCount(): number {
    return (
      this.eventHandlers.size +
      this.onceHandlers.size +
      this.leaderHandlers.size +
      this.lifecycleHandlers.length
    );
  }

  /** Observers subscribed, counted once per event name they observe (`'*'` counts as one). */
  get observerCount(): number {
    return this.observers.size;
  }

  /**
   * The event names that handlers and observers listen to now (lower-cased), `'*'` among them when one
   * wants every event (the event-emitter bridge does): what the `eventFilter: 'handled'` option installs.
   */
  listenedEventNames(): string[] {
    const indexes = [this.eventHandlers, this.onceHandlers, this.leaderHandlers, this.observers];
    const names = new Set(indexes.flatMap((index) => index.eventNames));
    if (this.publisher !== null) names.add(ALL_EVENTS);
    return [...names];
  }

  /** Handler runs not finished yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Wires an @OnAmiEvent handler under each of its event names (only under `'*'` if it names it); in
   * cluster mode among the handlers of its delivery mode.
   */
  addEventHandler(handler: EventHandlerRegistration): () => void {
    return addUnder(
      this.handlersOf(this.clustered ? handler.options.delivery : undefined),
      handler.events,
      handler,
    );
  }

  /** Whether any handler of that delivery mode is wired (cluster mode: a consumer is needed for it). */
  hasHandlers(delivery: AmiDelivery): boolean {
    return !this.handlersOf(delivery).isEmpty;
  }

  private handlersOf(delivery: AmiDelivery | undefined): EventNameIndex<EventHandlerRegistration> {
    if (!this.clustered || delivery === 'every') return this.eventHandlers;
    return delivery === 'leader' ? this.leaderHandlers : this.onceHandlers;
  }

  addLifecycleHandler(handler: LifecycleHandlerRegistration): void {
    this.lifecycleHandlers.push(handler);
  }

  /**
   * Hands `observer` each event of those names (case-insensitive; `'*'`: every event) synchronously, as
   * it arrives, even before the handlers are wired (AmiService's observables). Returns the unsubscribe
   * function.
   */
  observe(names: string | readonly string[], observer: AmiEventObserver): () => void {
    const list = typeof names === 'string' ? [names] : names;
    if (list.length === 0 || list.some((name) => typeof name !== 'string')) {
      throw new TypeError(`AmiDispatcher.observe needs one or more event names, got ${String(names)}`);
    }
    const remove = addUnder(this.observers, list, observer);
    this.observed?.();
    return remove;
  }

  /** Cluster mode: `callback` runs at each observe() (the node starts its `every` reader on demand). */
  onObserve(callback: () => void): void {
    this.observed = callback;
  }

  /** Cluster mode: whether anything reads `every` deliveries now (handlers, observers, the bridge). */
  get wantsEvery(): boolean {
    return !this.eventHandlers.isEmpty || !this.observers.isEmpty || this.publisher !== null;
  }

  /** The event-emitter bridge. */
  setPublisher(publisher: AmiEventObserver | null): void {
    this.publisher = publisher;
  }

  /** Handlers are wired: from now on events reach them, starting with those that came early. */
  markReady(): void {
    const early = this.early;
    if (early === null) return;
    this.early = null;
    if (this.droppedEarly > 0) {
      this.logger.warn(
        `AMI ${this.connection}: ${this.droppedEarly} events arrived before the handlers were wired and were not dispatched`,
      );
    }
    for (const [event, meta] of early) this.dispatchToHandlers(event, meta);
  }

  /** Stops dispatching: events and lifecycle changes seen from now on reach nobody. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.early = null;
    this.observers = new EventNameIndex();
    for (const callback of this.stopCallbacks.splice(0)) callback();
  }

  /** Runs `callback` when dispatching stops (unbinding the client). */
  onStop(callback: () => void): void {
    this.stopCallbacks.push(callback);
  }

  /** Waits (bounded) for the handler runs still going. Resolves false when some were still running. */
  async drain(timeoutMs: number): Promise<boolean> {
    const running = this.inFlight.size;
    const settled = await this.inFlight.settle(timeoutMs);
    if (!settled) {
      this.logger.warn(
        `AMI ${this.connection}: ${this.inFlight.size} of ${running} handlers still running after ${timeoutMs} ms; closing anyway`,
      );
    }
    return settled;
  }

  /** The client's event listener. */
  readonly onClientEvent = (event: AmiEvent, context: AmiEventContext): void => {
    const meta: AmiEventMeta =
      context.actionId === undefined
        ? { connection: this.connection, fromAction: context.fromAction }
        : { connection: this.connection, fromAction: context.fromAction, actionId: context.actionId };
    this.dispatch(event, meta);
  };

  /**
   * Cluster mode: starts the handlers of one delivery mode for an event that came from the stream, and
   * returns their runs (they never reject; `outcome` counts the failures). For `every`, the observers and
   * the event-emitter bridge are served first; before the handlers are wired (a consumer started by hand
   * before the bootstrap) such an event is held back like any early one.
   */
  runDelivery(
    delivery: AmiDelivery,
    event: AmiEvent,
    meta: AmiEventMeta,
    outcome: DeliveryOutcome,
  ): Promise<void>[] {
    if (delivery !== 'every') return this.runHandlers(this.handlersOf(delivery), event, meta, outcome);
    if (this.stopped) return [];
    if (!this.observers.isEmpty) {
      this.notify(this.observers.named(event.Event), event, meta);
      this.notify(this.observers.all, event, meta);
    }
    if (this.early !== null) {
      this.dispatch(event, meta);
      return [];
    }
    if (this.publisher !== null) this.publish(event, meta);
    return this.runHandlers(this.eventHandlers, event, meta, outcome);
  }

  /** Routes one event; returns the handler runs it started (for the testing support). */
  dispatch(event: AmiEvent, meta: AmiEventMeta): Promise<void>[] {
    if (this.stopped) return [];
    if (!this.observers.isEmpty) {
      this.notify(this.observers.named(event.Event), event, meta);
      this.notify(this.observers.all, event, meta);
    }
    if (this.early !== null) {
      if (this.early.length < MAX_EARLY_EVENTS) this.early.push([event, meta]);
      else this.droppedEarly += 1;
      return [];
    }
    return this.dispatchToHandlers(event, meta);
  }

  private notify(observers: readonly AmiEventObserver[], event: AmiEvent, meta: AmiEventMeta): void {
    for (let i = 0; i < observers.length; i++) {
      try {
        observers[i](event, meta);
      } catch (error) {
        this.logger.error(
          `AMI ${this.connection}: event observer failed on ${event.Event}: ${describeError(error)}`,
        );
      }
    }
  }

  /** Routes one lifecycle change to its handlers; returns the runs it started. */
  dispatchLifecycle(lifecycle: AmiLifecycleEvent): Promise<void>[] {
    if (this.stopped) return [];
    const request: AmiLifecycleRequest = { connection: this.connection, lifecycle };
    const runs: Promise<void>[] = [];
    for (const handler of this.lifecycleHandlers) {
      if (!handler.kinds.includes(lifecycle.kind)) continue;
      runs.push(this.run(handler, () => handler.invoke([lifecycle], request), { lifecycle }));
    }
    return runs;
  }

  private dispatchToHandlers(event: AmiEvent, meta: AmiEventMeta): Promise<void>[] {
    if (this.publisher !== null) this.publish(event, meta);
    return this.runHandlers(this.eventHandlers, event, meta, undefined);
  }

  private publish(event: AmiEvent, meta: AmiEventMeta): void {
    try {
      this.publisher?.(event, meta);
    } catch (error) {
      this.reportPublishError(event, error);
    }
  }

  /** Starts the handlers of the event's name, then those of `'*'`; `outcome` counts failures (cluster). */
  private runHandlers(
    handlers: EventNameIndex<EventHandlerRegistration>,
    event: AmiEvent,
    meta: AmiEventMeta,
    outcome: DeliveryOutcome | undefined,
  ): Promise<void>[] {
    const named = handlers.named(event.Event);
    const wildcard = handlers.all;
    if (named.length === 0 && wildcard.length === 0) return [];
    // One request per event, shared by its handlers; built only if a request-scoped handler asks.
    let request: AmiEventRequest | undefined;
    const requestFor = (): AmiEventRequest => {
      request ??= { ...meta, event };
      return request;
    };
    const args = [event, meta];
    const runs: Promise<void>[] = [];
    for (let i = 0; i < named.length; i++)
      runs.push(this.runEventHandler(named[i], event, meta, args, requestFor, outcome));
    for (let i = 0; i < wildcard.length; i++) {
      runs.push(this.runEventHandler(wildcard[i], event, meta, args, requestFor, outcome));
    }
    return runs;
  }

  /**
   * Starts one handler on this tick. A handler that returns no promise is done when it returns: it costs
   * no promise and no tracking. One that returns a promise is tracked for the graceful shutdown.
   */
  private runEventHandler(
    handler: EventHandlerRegistration,
    event: AmiEvent,
    meta: AmiEventMeta,
    args: unknown[],
    requestFor: () => AmiEventRequest,
    outcome: DeliveryOutcome | undefined,
  ): Promise<void> {
    let result: unknown;
    try {
      const filter = handler.options.filter;
      if (filter !== undefined && !filter(event, meta)) return FINISHED;
      result = handler.invoke(args, handler.readsRequest === false ? EMPTY_REQUEST : requestFor());
    } catch (error) {
      if (outcome !== undefined) outcome.failed += 1;
      return this.inFlight.track(this.failures.report(error, handler, { event }));
    }
    if (!isThenable(result)) return FINISHED;
    const task = Promise.resolve(result).then(
      () => undefined,
      (error: unknown) => {
        if (outcome !== undefined) outcome.failed += 1;
        return this.failures.report(error, handler, { event });
      },
    );
    const run = this.inFlight.track(task);
    outcome?.pending.push({ handler, run });
    return run;
  }

  /** A failure of the event-emitter bridge: logged, never thrown at the socket. */
  reportPublishError(event: AmiEvent, error: unknown): void {
    this.logger.error(`AMI ${this.connection}: publishing ${event.Event} failed: ${describeError(error)}`);
  }

  private run(
    handler: EventHandlerRegistration | LifecycleHandlerRegistration,
    call: () => unknown,
    subject: Pick<AmiHandlerErrorContext, 'event' | 'lifecycle'>,
  ): Promise<void> {
    // The handler starts now, on this tick; what it awaits runs later without holding up the caller.
    const task = (async () => {
      await call();
    })().catch((error: unknown) => this.failures.report(error, handler, subject));
    return this.inFlight.track(task);
  }
}

const EMPTY_REQUEST: object = Object.freeze({});

/**
 * Adds `item` to `index` once under each of `names` (spellings of one name count once), or only under
 * `'*'` when it is among them. Returns the function that removes it from all of them.
 */
function addUnder<T>(index: EventNameIndex<T>, names: readonly string[], item: T): () => void {
  if (names.includes(ALL_EVENTS)) return index.add(ALL_EVENTS, item);
  const distinct = new Map(names.map((name) => [name.toLowerCase(), name]));
  const removers = [...distinct.values()].map((name) => index.add(name, item));
  return () => {
    for (const remove of removers) remove();
  };
}
