import { AmiClient, type AmiClientOptions } from '../../../lib/client.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';

/** Short backoff and dead-peer detection, so faults are noticed and healed within seconds. */
export const CHAOS_RECONNECT = { initialDelay: 100, maxDelay: 1_000, factor: 2, jitter: 0.2 };
export const CHAOS_KEEPALIVE = { interval: 500, maxMissed: 2 };
export const CHAOS_ACTION_TIMEOUT = 5_000;

/** A client of the rig's Asterisk, through `port` (a fault proxy) or directly. */
export function chaosClient(port: number, overrides: Partial<AmiClientOptions> = {}): AmiClient {
  return new AmiClient({
    host: '127.0.0.1',
    port,
    username: asterisk.username,
    secret: asterisk.secret,
    reconnect: CHAOS_RECONNECT,
    keepAlive: CHAOS_KEEPALIVE,
    connectTimeout: 2_000,
    loginTimeout: 3_000,
    actionTimeout: CHAOS_ACTION_TIMEOUT,
    ...overrides,
  });
}

/** Unique per run, so the channel ids the tests choose never meet ones from an earlier run. */
export const runTag = () => `c${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms; resolves true once it holds, false after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Resolves with the time of the client's next `login`, or rejects after `timeoutMs`. */
export function nextLogin(client: AmiClient, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('login', onLogin);
      reject(new Error(`no login within ${timeoutMs} ms (state ${client.state})`));
    }, timeoutMs);
    const onLogin = () => {
      clearTimeout(timer);
      resolve(Date.now());
    };
    client.once('login', onLogin);
  });
}

/** p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The promise's value or error, or `still pending after <ms> ms`: a loop shows as a failed assertion. */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`still pending after ${ms} ms`), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve(error);
      },
    );
  });
}
