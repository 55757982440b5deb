import { Observable, type Subscriber } from 'rxjs';
import type { AmiCallTracker } from '../calls/call-tracker.js';
import type { AmiClient } from '../client/ami-client.js';
import type {
  AmiConnectionState,
  AmiEventList,
  AmiOriginateOptions,
  AmiSendOptions,
} from '../client/ami-client.types.js';
import type { AmiLiveState } from '../live/ami-live-state.js';
import type { AmiEvent, AmiResponse } from '../protocol/ami-message.js';
import type {
  AmiActionInput,
  AmiActionNameInput,
  AmiActionParams,
  AmiListItem,
} from '../types/ami-action-types.js';
import type { AmiEventByName, AmiEventNameInput } from '../types/ami-event-types.js';
import type { AmiClusterNodeView, AmiClusterView } from './cluster/ami-cluster-view.js';
import type { AmiDispatcher } from './dispatch/ami-dispatcher.js';

/**
 * Where AmiTesting finds the dispatcher behind a service. The package's entry points do not export it, so
 * the service has no public accessor for it, and no module-level map has to remember the pairs.
 */
export const SERVICE_DISPATCHER: unique symbol = Symbol('AmiService dispatcher');
/** Where the health indicator finds the cluster view with its settings (not part of the public view). */
export const SERVICE_CLUSTER: unique symbol = Symbol('AmiService cluster');

/**
 * One AMI connection, as a Nest provider: the client's actions, its state, and its events as rxjs
 * Observables. The unnamed connection is injected as `AmiService`, a named one with `@InjectAmi(name)`.
 */
export class AmiService {
  /**
   * Every event of the connection. Completes when the application closes. In cluster mode every replica
   * sees every event, from the stream (the `every` reader).
   */
  readonly events$: Observable<AmiEvent>;
  /** The connection state now, then each change. Completes when the application closes. */
  readonly state$: Observable<AmiConnectionState>;
  private readonly subscribers = new Set<Subscriber<unknown>>();
  private closed = false;

  constructor(
    /** The underlying framework-free client. */
    readonly client: AmiClient,
    /** This connection's name (`default` for the unnamed one). */
    readonly connection: string,
    private readonly dispatcher: AmiDispatcher,
    private readonly clusterView: AmiClusterNodeView | null = null,
    private readonly liveState: AmiLiveState | null = null,
    private readonly callTracker: AmiCallTracker | null = null,
  ) {
    dispatcher.onStop(() => this.close());
    this.events$ = this.eventStream('*');
    this.state$ = this.track<AmiConnectionState>((subscriber) => {
      subscriber.next(this.client.state);
      const listener = (state: AmiConnectionState) => subscriber.next(state);
      this.client.on('stateChange', listener);
      return () => this.client.off('stateChange', listener);
    });
  }

  get [SERVICE_DISPATCHER](): AmiDispatcher {
    return this.dispatcher;
  }

  get [SERVICE_CLUSTER](): AmiClusterNodeView | null {
    return this.clusterView;
  }

  /**
   * Cluster mode: this replica's role in its group, the leader, the consumers' lag and counters. Null
   * without the module's `cluster` option.
   */
  get cluster(): AmiClusterView | null {
    return this.clusterView;
  }

  /** The PBX's live state (channels, bridges, calls, queues); null without the module's `live` option. */
  get live(): AmiLiveState | null {
    return this.liveState;
  }

  /**
   * This connection's call tracker: `calls.originate(...)` reports a call's progress and summary,
   * `calls.track(id)` follows any call. Always there in an AmiModule; null only for a service built by hand.
   */
  get calls(): AmiCallTracker | null {
    return this.callTracker;
  }

  get state(): AmiConnectionState {
    return this.client.state;
  }

  /** Logged in: actions can be sent and events flow. */
  get isConnected(): boolean {
    return this.client.isConnected;
  }

  /** The AMI version of the last banner read, or null before the first connection. */
  get amiVersion(): string | null {
    return this.client.amiVersion;
  }

  /**
   * Events of that name (case-insensitive; typed for the documented ones), or of any of those names;
   * `'*'` for all.
   */
  events<N extends AmiEventNameInput>(name: N): Observable<AmiEventByName<N>>;
  events<TEvent extends AmiEvent = AmiEvent>(names: readonly string[]): Observable<TEvent>;
  events(names: string | readonly string[]): Observable<AmiEvent> {
    const list = typeof names === 'string' ? [names] : [...names];
    if (list.length === 0 || list.some((name) => typeof name !== 'string')) {
      throw new TypeError('AmiService.events needs one or more event names');
    }
    return this.eventStream(list);
  }

  /** Sends an action; resolves with its response. A list action resolves after its Complete event. */
  send<N extends AmiActionNameInput>(
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiResponse> {
    return this.client.send<N>(action, options);
  }

  /** Sends a list action (CoreShowChannels, QueueStatus...) and collects its events up to Complete. */
  sendList<N extends AmiActionNameInput, TItem extends AmiEvent = AmiListItem<N>>(
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiEventList<TItem>> {
    return this.client.sendList<N, TItem>(action, options);
  }

  /** Runs a CLI command; resolves with its output lines. */
  command(command: string, options?: AmiSendOptions): Promise<string[]> {
    return this.client.command(command, options);
  }

  /** Originates a call; by default resolves with its OriginateResponse event (see AmiClient.originate). */
  originate(
    params: AmiActionParams<'Originate'>,
    options?: AmiOriginateOptions & { waitForResult?: true },
  ): Promise<AmiEventByName<'OriginateResponse'>>;
  originate(
    params: AmiActionParams<'Originate'>,
    options: AmiOriginateOptions & { waitForResult: false },
  ): Promise<AmiResponse>;
  originate(
    params: AmiActionParams<'Originate'>,
    options?: AmiOriginateOptions,
  ): Promise<AmiEventByName<'OriginateResponse'> | AmiResponse>;
  originate(
    params: AmiActionParams<'Originate'>,
    options?: AmiOriginateOptions,
  ): Promise<AmiEventByName<'OriginateResponse'> | AmiResponse> {
    return this.client.originate(params, options);
  }

  /** Completes every observable handed out; called when the application closes. */
  private close(): void {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
  }

  /** Each subscription is one observer in the dispatcher's index, under those names. */
  private eventStream(names: string | readonly string[]): Observable<AmiEvent> {
    return this.track<AmiEvent>((subscriber) =>
      this.dispatcher.observe(names, (event: AmiEvent) => subscriber.next(event)),
    );
  }

  private track<T>(subscribe: (subscriber: Subscriber<T>) => () => void): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      this.subscribers.add(subscriber as Subscriber<unknown>);
      const teardown = subscribe(subscriber);
      return () => {
        this.subscribers.delete(subscriber as Subscriber<unknown>);
        teardown();
      };
    });
  }
}
