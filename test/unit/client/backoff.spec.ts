import { type AmiReconnectOptions, DEFAULT_RECONNECT, reconnectDelay } from '../../../lib/client.js';

const NO_JITTER: AmiReconnectOptions = { ...DEFAULT_RECONNECT, jitter: 0 };

/** A random() that always returns `value`. */
const fixed = (value: number) => () => value;

describe('reconnectDelay', () => {
  it('grows by the factor from initialDelay, then stays at maxDelay', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => reconnectDelay(attempt, NO_JITTER));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('follows other settings', () => {
    const options = { ...NO_JITTER, initialDelay: 100, factor: 3, maxDelay: 5_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => reconnectDelay(attempt, options))).toEqual([
      100, 300, 900, 2_700, 5_000,
    ]);
  });

  it('treats attempt 0 and below like the first attempt', () => {
    expect(reconnectDelay(0, NO_JITTER)).toBe(1_000);
    expect(reconnectDelay(-3, NO_JITTER)).toBe(1_000);
  });

  it('stays finite and at maxDelay for huge attempt numbers', () => {
    expect(reconnectDelay(1_000_000, NO_JITTER)).toBe(30_000);
    expect(reconnectDelay(Number.MAX_SAFE_INTEGER, { ...DEFAULT_RECONNECT, jitter: 0.5 }, fixed(0))).toBe(
      15_000,
    );
  });

  it('spreads each delay over +/- jitter, at both extremes of random()', () => {
    const options = { ...DEFAULT_RECONNECT, jitter: 0.2 };
    expect(reconnectDelay(1, options, fixed(0))).toBe(800);
    expect(reconnectDelay(1, options, fixed(0.5))).toBe(1_000);
    expect(reconnectDelay(1, options, fixed(0.999_999_999))).toBe(1_200);
    expect(reconnectDelay(3, options, fixed(0))).toBe(3_200);
  });

  it('never passes maxDelay, jitter included', () => {
    const options = { ...DEFAULT_RECONNECT, jitter: 0.5 };
    expect(reconnectDelay(10, options, fixed(0.999_999_999))).toBe(30_000);
    expect(reconnectDelay(10, options, fixed(0))).toBe(15_000);
  });

  it('stays within the jitter bounds for every attempt with Math.random', () => {
    const options = { ...DEFAULT_RECONNECT, jitter: 0.3 };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const base = Math.min(options.maxDelay, options.initialDelay * options.factor ** (attempt - 1));
      const low = Math.floor(base * (1 - options.jitter));
      const high = Math.min(options.maxDelay, Math.ceil(base * (1 + options.jitter)));
      const seen = new Set<number>();
      for (let draw = 0; draw < 200; draw++) {
        const delay = reconnectDelay(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(low);
        expect(delay).toBeLessThanOrEqual(high);
        seen.add(delay);
      }
      // Jitter really spreads the clients: 200 draws do not land on one value.
      expect(seen.size).toBeGreaterThan(10);
    }
  });

  it('never goes negative, even with jitter 1', () => {
    expect(reconnectDelay(1, { ...DEFAULT_RECONNECT, jitter: 1 }, fixed(0))).toBe(0);
  });
});
