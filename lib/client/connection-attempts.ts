import {
  AmiAuthenticationError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiProtocolError,
} from '../errors/ami-errors.js';
import type { AmiReconnectingInfo, AmiReconnectOptions } from './ami-client.types.js';
import { reconnectDelay } from './backoff.js';

/** What the attempts need of their client. */
export interface ConnectionAttemptsHost {
  /** Whether disconnect(), destroy(), a Logoff or refused credentials stopped the client. */
  isStopped(): boolean;
  /** One attempt: opens a session and logs in. */
  openSession(): Promise<void>;
  /** connect()'s own try starts. */
  connecting(): void;
  /** A retry is due after `info.delay` ms. */
  reconnecting(info: AmiReconnectingInfo): void;
  /** An attempt failed; another may follow. */
  attemptFailed(error: Error): void;
  /** No attempt follows: the client stops. Returns the error the attempts reject with. */
  giveUp(error: Error): Error;
}

/**
 * Opens sessions until one logs in: connect()'s own try, the retries of connect({ retry: true }), and
 * the reconnection after a loss, waiting between attempts as the reconnect backoff says. One run at a
 * time: a connect() during a run shares it.
 */
export class ConnectionAttempts {
  private run: Promise<void> | null = null;
  /** Whether the run under way retries a failed attempt. */
  private withRetry = false;
  private wait: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private referenced = true;

  constructor(
    private readonly reconnect: AmiReconnectOptions | null,
    private readonly host: ConnectionAttemptsHost,
  ) {}

  /** Whether a run is under way. */
  get running(): boolean {
    return this.run !== null;
  }

  /** Whether a failed attempt of the run under way is followed by another. */
  get retrying(): boolean {
    return this.run !== null && this.withRetry && this.reconnect !== null;
  }

  /**
   * Starts a run, or returns the one under way. `retry`: a failed attempt is followed by another;
   * `afterLoss`: a session was lost, so even the first attempt waits its backoff delay.
   */
  start(retry: boolean, afterLoss: boolean): Promise<void> {
    this.run ??= this.attempt(retry, afterLoss).finally(() => {
      this.run = null;
    });
    return this.run;
  }

  /** Ends the wait for the next attempt at once (the client stopped: the run then gives up). */
  wake(): void {
    if (this.wait === null) return;
    clearTimeout(this.wait.timer);
    this.wait.wake();
    this.wait = null;
  }

  ref(): void {
    this.referenced = true;
    this.wait?.timer.ref();
  }

  unref(): void {
    this.referenced = false;
    this.wait?.timer.unref();
  }

  private async attempt(retry: boolean, afterLoss: boolean): Promise<void> {
    this.withRetry = retry;
    let attempt = 0;
    // connect()'s own try is not a reconnection attempt: the first retry after it is attempt 1.
    let firstTry = !afterLoss;
    let lastError: Error | undefined;
    for (;;) {
      if (firstTry) {
        firstTry = false;
        this.host.connecting();
      } else {
        attempt += 1;
        const reconnect = this.reconnect;
        if (reconnect === null || attempt > reconnect.maxAttempts)
          throw this.host.giveUp(lastError ?? new AmiConnectionError('reconnection disabled'));
        const delay = reconnectDelay(attempt, reconnect);
        this.host.reconnecting({ attempt, delay, error: lastError });
        await this.sleep(delay);
      }
      if (this.host.isStopped()) throw this.host.giveUp(cancelled());
      try {
        await this.host.openSession();
        return;
      } catch (error) {
        lastError = error as Error;
        if (this.host.isStopped() && !(lastError instanceof AmiAuthenticationError))
          throw this.host.giveUp(cancelled());
        this.host.attemptFailed(lastError);
        if (!retry || !isRetryable(lastError, afterLoss)) throw this.host.giveUp(lastError);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      const timer = setTimeout(() => {
        this.wait = null;
        wake();
      }, ms);
      if (!this.referenced) timer.unref();
      this.wait = { timer, wake };
    });
  }
}

function cancelled(): AmiDisconnectedError {
  return new AmiDisconnectedError('connection attempt cancelled by disconnect()');
}

function isRetryable(error: Error, afterLoss: boolean): boolean {
  if (error instanceof AmiConnectionError) return true;
  // A server that was AMI a moment ago and now sends garbage is restarting, not impersonating.
  return afterLoss && error instanceof AmiProtocolError;
}
