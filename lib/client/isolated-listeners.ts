import type { AmiLogSink } from './ami-logger.js';

// biome-ignore lint/suspicious/noExplicitAny: listeners of any signature; each is called with the args given.
type Listener = (...args: any[]) => unknown;

/**
 * Calls listeners so that none can break its caller or the listeners after it: what one throws, or the
 * rejection of the promise it returns, is logged (`AMI <what failed>: <message>`) and the next one
 * runs. EventEmitter's emit() would skip the listeners after a throw, and a throw from a socket
 * callback would crash the process. The one place the client's listeners, lifecycle and event, are run.
 */
export class IsolatedListeners {
  constructor(private readonly logger: AmiLogSink) {}

  /**
   * `failed` says for the log line what failed ("login listener failed"), from the arguments; it runs
   * only on a failure, so a delivery builds no string.
   */
  callEach<A extends unknown[]>(
    listeners: readonly Listener[],
    self: unknown,
    args: A,
    failed: (args: A) => string,
  ): void {
    for (const listener of listeners) {
      try {
        const result = listener.apply(self, args);
        if (result instanceof Promise) result.catch((error: unknown) => this.report(error, failed(args)));
      } catch (error) {
        this.report(error, failed(args));
      }
    }
  }

  private report(error: unknown, failed: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(`AMI ${failed}: ${message}`);
  }
}
