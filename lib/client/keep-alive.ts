import { AmiConnectionError, AmiTimeoutError } from '../errors/ami-errors.js';
import type { AmiKeepAliveOptions } from './ami-client.types.js';

/**
 * Dead-peer detection for one logged-in session: a Ping every `interval` ms, each waiting as long for
 * its answer; after `maxMissed` unanswered in a row, `onDead` is told the peer is gone (a half-open or
 * hung connection that TCP alone would keep for hours). Any answer starts the count again.
 */
export class KeepAlive {
  private readonly timer: NodeJS.Timeout;
  private missed = 0;
  private stopped = false;

  constructor(
    private readonly options: AmiKeepAliveOptions,
    /** Sends a Ping that fails with AmiTimeoutError when not answered within `timeout` ms. */
    private readonly ping: (timeout: number) => Promise<unknown>,
    private readonly onDead: (error: AmiConnectionError) => void,
  ) {
    this.timer = setInterval(() => this.pingOnce(), options.interval);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private pingOnce(): void {
    this.ping(this.options.interval).then(
      () => {
        this.missed = 0;
      },
      (error: unknown) => {
        // Any other failure (the connection closed) is the session's to tell, not a silent peer.
        if (!(error instanceof AmiTimeoutError) || this.stopped) return;
        this.missed += 1;
        if (this.missed < this.options.maxMissed) return;
        this.onDead(
          new AmiConnectionError(`no answer to ${this.missed} pings in a row: the peer is gone`, 'ETIMEDOUT'),
        );
      },
    );
  }
}
