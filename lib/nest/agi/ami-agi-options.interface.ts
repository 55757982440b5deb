import type { AgiCall } from '../../agi/agi-call.js';
import type { AmiFastAgiServerOptions } from '../../agi/fast-agi-server.js';

export interface AmiAgiModuleOptions {
  /**
   * The FastAGI server, started with the application and stopped with it: port 4573 on 127.0.0.1 by
   * default. `false`: no server.
   */
  fastAgi?:
    | false
    | Pick<AmiFastAgiServerOptions, 'port' | 'host' | 'limits' | 'environmentTimeout' | 'maxConnections'>;
  /** AsyncAGI over an AmiModule connection (its name; `true` is the default connection). Default true. */
  asyncAgi?: boolean | { connection?: string };
  /** Hang up the channel when a handler throws (default true). */
  hangupOnError?: boolean;
  /** Called with a handler's error, besides the log line. */
  onError?: (error: unknown, call: AgiCall) => void;
  /** Default timeout of short commands, in ms (default 30 000). */
  commandTimeout?: number;
  /** Milliseconds shutdown waits for running sessions before ending them (default 5 000). */
  shutdownTimeout?: number;
}
