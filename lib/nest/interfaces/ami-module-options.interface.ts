import type { AmiCallTrackerOptions } from '../../calls/call-tracker.types.js';
import type { AmiClientOptions } from '../../client/ami-client.types.js';
import type { AmiClusterOptions } from '../../cluster/cluster.types.js';
import type { AmiLiveOptions } from '../../live/live.types.js';
import type { AmiHandlerErrorHook } from './ami-handler-error.interface.js';

/** How the connection is opened during the application's bootstrap. */
export interface AmiConnectionInitOptions {
  /** Open the connection at bootstrap. `false` leaves it to you (`ami.client.connect()`), as tests do. Default `true`. */
  connect?: boolean;
  /**
   * Hold the bootstrap until the first login. Without waiting the application starts at once and the
   * client keeps trying in the background, with the reconnect backoff. Default `true`.
   */
  wait?: boolean;
  /** How long the bootstrap waits for the first login, in ms. Default 30 000. */
  timeout?: number;
  /**
   * When waiting fails (refused credentials, timeout, reconnection disabled) reject the bootstrap with
   * the typed error (`AmiAuthenticationError`, `AmiConnectionError`...). With `false` the failure is logged,
   * the application starts, and the client keeps trying unless the credentials were refused. Default `true`.
   */
  failOnError?: boolean;
}

export interface AmiEventEmitterBridgeOptions {
  /** First part of the event names: `<prefix>.<connection>.<Event>`. Default `ami`. */
  prefix?: string;
}

/** The AmiClient's options plus the Nest module's. */
export interface AmiModuleOptions extends AmiClientOptions {
  connectionInit?: AmiConnectionInitOptions;
  /** Called for every failing @OnAmiEvent or lifecycle handler that has no `onError` of its own. */
  onHandlerError?: AmiHandlerErrorHook;
  /** How long `app.close()` waits for handlers still running, in ms, before closing anyway. Default 10 000. */
  shutdownTimeout?: number;
  /**
   * Also publish every AMI event on @nestjs/event-emitter's EventEmitter2 (EventEmitterModule must be
   * imported), as `ami.<connection>.<Event>` with the event and its AmiEventMeta as arguments.
   */
  eventEmitter?: boolean | AmiEventEmitterBridgeOptions;
  /**
   * Cluster mode: several replicas of the application share this connection's events through Redis.
   * One replica (the leader) holds the AMI event session and appends its events to a Redis stream;
   * handlers run from the stream per their `delivery` (`once` by default), and every replica sends its
   * own actions on its own session. Without it: one process, no Redis.
   */
  cluster?: AmiClusterOptions;
  /**
   * Keep the PBX's live state (channels, bridges, calls, queues) for this connection: inject it with
   * `@InjectAmiLive(name?)` or read `AmiService.live`. It costs three list actions at each login and a
   * listener on the events it keeps. Default `false`.
   */
  live?: boolean | AmiLiveOptions;
  /**
   * Options of this connection's call tracker (`@InjectAmiCalls(name?)`, `AmiService.calls`), which every
   * connection has: e.g. `{ trackAll: true }` to get every call's summary in `finished$`.
   */
  calls?: AmiCallTrackerOptions;
}

/** `isGlobal` and `name`: read when the module is defined, not from the options factory. */
export interface AmiModuleExtras {
  /** Register the module globally: its AmiService is injectable everywhere. Default `false`. */
  isGlobal?: boolean;
  /**
   * Name of this connection, for apps with several. Inject it with `@InjectAmi(name)`; handlers select it
   * with `@OnAmiEvent(..., { connection: name })`. Letters, digits, `_` and `-`. Default: the unnamed
   * connection, injected as `AmiService`.
   */
  name?: string;
}
