import type { AmiReconnectOptions } from './ami-client.types.js';

export const DEFAULT_RECONNECT: AmiReconnectOptions = {
  initialDelay: 1_000,
  maxDelay: 30_000,
  factor: 2,
  jitter: 0.2,
  maxAttempts: Number.POSITIVE_INFINITY,
};

/** The delay before attempt `attempt` (1-based): capped exponential growth with jitter. */
export function reconnectDelay(attempt: number, options: AmiReconnectOptions, random = Math.random): number {
  const exponential = options.initialDelay * options.factor ** Math.max(0, attempt - 1);
  const base = Math.min(options.maxDelay, exponential);
  const spread = base * options.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(options.maxDelay, Math.round(base + spread)));
}
