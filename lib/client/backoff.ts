export interface AmiReconnectOptions {
  /** Delay before the first attempt after a loss, in ms. */
  initialDelay: number;
  /** The delay never grows past this, jitter included, in ms. */
  maxDelay: number;
  /** Each attempt's delay is the previous one times this. */
  factor: number;
  /** 0..1: each delay is spread uniformly over +/- this fraction, so a PBX restart is not met by every client at once. */
  jitter: number;
  /** Attempts before giving up (Infinity: never give up). */
  maxAttempts: number;
}

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
