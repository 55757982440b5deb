import { uniqueConsumerName } from '../../../../lib/cluster/consumers/consumer-name.js';
import { deadLetterFields } from '../../../../lib/cluster/consumers/dead-letter.js';
import { errorMessage, runHandler } from '../../../../lib/cluster/consumers/handler-outcome.js';
import { RetryDelay, WakeableSleep } from '../../../../lib/cluster/consumers/retry-delay.js';
import type { AmiStreamEvent } from '../../../../lib/cluster/stream-entry.js';

const event: AmiStreamEvent = {
  id: '1-0',
  entryId: '1-0',
  index: 0,
  event: { Event: 'Hangup' },
  epoch: 1,
  receivedAt: 0,
};
const meta = { eventId: '1-0', deliveryCount: 1 };

describe('consumer names', () => {
  it('are unique per call, name the host and the pid, and keep only safe characters', () => {
    const a = uniqueConsumerName('web-1', 42);
    const b = uniqueConsumerName('web-1', 42);
    expect(a).toMatch(/^web-1:42:[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(uniqueConsumerName('a b{c}', 1)).toMatch(/^a_b_c_:1:/);
    expect(uniqueConsumerName('', 1)).toMatch(/^host:1:/);
  });
});

describe('runHandler', () => {
  it('settles a synchronous handler synchronously', () => {
    expect(runHandler(() => 1, event, meta)).toEqual({ ok: true });
    const error = new Error('sync');
    expect(
      runHandler(
        () => {
          throw error;
        },
        event,
        meta,
      ),
    ).toEqual({ ok: false, error });
  });

  it('returns a promise that never rejects for an async handler or a thenable', async () => {
    await expect(runHandler(async () => undefined, event, meta)).resolves.toEqual({ ok: true });
    const error = new Error('async');
    await expect(runHandler(() => Promise.reject(error), event, meta)).resolves.toEqual({ ok: false, error });
    // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is the point
    const thenable = { then: (resolve: (v: unknown) => void) => resolve(1) };
    await expect(runHandler(() => thenable, event, meta)).resolves.toEqual({ ok: true });
  });

  it('passes the event and the delivery to the handler', () => {
    const seen: unknown[] = [];
    runHandler((e, m) => seen.push(e, m), event, { eventId: '1-0', deliveryCount: 3 });
    expect(seen).toEqual([event, { eventId: '1-0', deliveryCount: 3 }]);
  });
});

describe('errorMessage', () => {
  it("takes an Error's message, stringifies anything else, and bounds the length", () => {
    expect(errorMessage(new Error('x'))).toBe('x');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(new Error('y'.repeat(5_000)))).toHaveLength(1_001);
  });
});

describe('deadLetterFields', () => {
  it('keeps the original fields, then says which entry, where, how often and why', () => {
    const fields = deadLetterFields(
      '7-1',
      ['event', '{"Event":"Hangup"}', 'epoch', '3', 'at', '100'],
      { group: 'once', consumer: 'web-1:42:ab', deliveries: 5, error: 'boom' },
      1_000,
    );
    expect(fields).toEqual([
      'event',
      '{"Event":"Hangup"}',
      'epoch',
      '3',
      'at',
      '100',
      'id',
      '7-1',
      'group',
      'once',
      'consumer',
      'web-1:42:ab',
      'deliveries',
      '5',
      'error',
      'boom',
      'failedAt',
      '1000',
    ]);
  });
});

describe('RetryDelay', () => {
  it('doubles from 100 ms up to 5 s, and starts over after reset()', () => {
    const delay = new RetryDelay(100, 5_000, () => 0.5);
    const delays = Array.from({ length: 9 }, () => delay.next());
    expect(delays).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
    expect(delay.failing).toBe(true);
    delay.reset();
    expect(delay.failing).toBe(false);
    expect(delay.next()).toBe(100);
  });

  it('spreads each delay by ±20 %', () => {
    expect(new RetryDelay(100, 5_000, () => 0).next()).toBe(80);
    expect(new RetryDelay(100, 5_000, () => 1).next()).toBe(120);
  });
});

describe('WakeableSleep', () => {
  it('ends a sleep early on wake(), and a wake() with nobody asleep changes nothing', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    const started = Date.now();
    const sleeping = sleeper.sleep(60_000);
    sleeper.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
