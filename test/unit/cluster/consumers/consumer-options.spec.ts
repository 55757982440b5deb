import type { Redis } from 'ioredis';
import {
  AmiEveryConsumer,
  AmiLeaderConsumer,
  AmiOnceConsumer,
} from '../../../../lib/cluster/consumers/index.js';
import { AmiInvalidActionError } from '../../../../lib/errors/ami-errors.js';

// Construction talks to nobody: a stand-in with duplicate() is enough to check the options.
const redis = { duplicate: () => redis } as unknown as Redis;
const base = { redis, stream: 's', deadLetterStream: 'd', handler: () => undefined };

describe('consumer options', () => {
  it('refuse what is not a client, a stream, a dead-letter stream or a handler', () => {
    expect(() => new AmiOnceConsumer({ ...base, redis: {} as Redis })).toThrow(
      'redis must be an ioredis client',
    );
    expect(() => new AmiOnceConsumer({ ...base, stream: '' })).toThrow('stream must be a non-empty string');
    expect(() => new AmiLeaderConsumer({ ...base, deadLetterStream: '' })).toThrow('deadLetterStream');
    expect(() => new AmiEveryConsumer({ ...base, handler: 'x' as never })).toThrow(
      'handler must be a function',
    );
  });

  it('refuse counts and durations that are not positive integers, naming them', () => {
    expect(() => new AmiOnceConsumer({ ...base, claimIdle: 0 })).toThrow(
      'claimIdle must be a positive integer',
    );
    expect(() => new AmiOnceConsumer({ ...base, maxDeliveries: 1.5 })).toThrow('maxDeliveries');
    expect(() => new AmiOnceConsumer({ ...base, batchSize: -1 })).toThrow('batchSize');
    expect(() => new AmiLeaderConsumer({ ...base, retryDelay: Number.NaN })).toThrow('retryDelay');
    expect(() => new AmiEveryConsumer({ ...base, blockMs: 0 })).toThrow('blockMs');
  });

  it('refuse a logger it could not log through', () => {
    expect(() => new AmiOnceConsumer({ ...base, logger: {} as never })).toThrow(AmiInvalidActionError);
  });

  it('name each once consumer uniquely unless given a name', () => {
    const a = new AmiOnceConsumer(base);
    const b = new AmiOnceConsumer(base);
    expect(a.name).not.toBe(b.name);
    expect(new AmiOnceConsumer({ ...base, consumerName: 'web-1' }).name).toBe('web-1');
  });

  it('stop() before start() resolves at once; figures start at zero', async () => {
    const consumer = new AmiOnceConsumer(base);
    await expect(consumer.stop()).resolves.toBeUndefined();
    expect(consumer.counters()).toEqual({ delivered: 0, acked: 0, failed: 0, claimed: 0, deadLettered: 0 });
  });
});
