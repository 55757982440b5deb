import { createHook } from 'node:async_hooks';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { AmiRedisError } from '../../lib/cluster/cluster-errors.js';
import { connectRedis } from '../../lib/cluster/redis-connection.js';
import { AmiError } from '../../lib/errors/ami-errors.js';
import { redisTarget } from './support/redis-server.js';

const SECRET = 'hunter2-do-not-print';

/** The error connectRedis rejects with, checked to be ours and free of the password. */
async function failure(source: Parameters<typeof connectRedis>[0]): Promise<AmiRedisError> {
  const error = await connectRedis(source, { connectTimeout: 5_000 }).then(
    () => {
      throw new Error('connectRedis resolved');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AmiRedisError);
  expect(error).toBeInstanceOf(AmiError);
  const redisError = error as AmiRedisError;
  for (const text of [
    redisError.message,
    redisError.target,
    inspect(redisError, { depth: 5 }),
    String(redisError.stack),
  ]) {
    expect(text).not.toContain(SECRET);
  }
  expect(redisError.message).toMatch(/Redis/);
  return redisError;
}

/**
 * The timers created while `run` ran that are still pending and keep the process alive once it is done
 * (each as where it was created), armed by ioredis or by lib/cluster. Tracked by async_hooks: timers of
 * other tests do not count.
 */
async function timersLeftBy(run: () => Promise<void>): Promise<string[]> {
  const created = new Map<number, { timer: NodeJS.Timeout; where: string }>();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      // Jest's own reporter arms timers in this process too (runInBand): only ours and ioredis's count.
      if (!stack.includes('node_modules/ioredis') && !stack.includes('/lib/cluster/')) return;
      const where = stack.split('\n').slice(6, 10).join(' <- ');
      created.set(id, { timer: resource as NodeJS.Timeout, where });
    },
  });
  hook.enable();
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    hook.disable();
  }
  // A timer that fired or was cleared is marked destroyed (Node's own flag; no public one says so).
  const pending = (timer: NodeJS.Timeout) => !(timer as unknown as { _destroyed: boolean })._destroyed;
  return [...created.values()]
    .filter(({ timer }) => pending(timer) && timer.hasRef())
    .map(({ where }) => where);
}

describe('the Redis connection of cluster mode', () => {
  it('connects from a URL and closes what it opened', async () => {
    const connection = await connectRedis(redisTarget.url);
    expect(await connection.redis.ping()).toBe('PONG');
    await connection.close();
    expect(connection.redis.status).toBe('end');
  });

  it('refused credentials: AmiRedisError with the reply code, the password redacted', async () => {
    const url = new URL(redisTarget.url);
    url.username = 'nobody';
    url.password = SECRET;
    const error = await failure(url.toString());
    expect(error.code).toBe('WRONGPASS');
    expect(error.target).toContain('nobody:<redacted>@');
  });

  it('unreachable server: AmiRedisError naming it, ECONNREFUSED', async () => {
    const error = await failure(`redis://:${SECRET}@127.0.0.1:1`);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toContain('127.0.0.1:1');
  });

  it('not a Redis URL: AmiRedisError, the input not echoed with its secret', async () => {
    const error = await failure(`http://user:${SECRET}@example.com`);
    expect(error.message).toMatch(/redis:\/\//);
    await failure(`definitely not a url ${SECRET}`);
  });

  it('a client the application gives is checked with PING and never closed by us', async () => {
    const given = new Redis(redisTarget.url);
    const connection = await connectRedis(given);
    expect(connection.redis).toBe(given);
    await connection.close();
    expect(await given.ping()).toBe('PONG');
    given.disconnect();
  });

  it('a given client that cannot reach its server: AmiRedisError', async () => {
    const given = new Redis({
      port: 1,
      password: SECRET,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    given.on('error', () => undefined);
    const error = await failure(given);
    expect(error.target).toBe('localhost:1');
    // It gave up (retryStrategy null) and is ended: disconnect() again would only arm a stray timer.
    expect(given.status).toBe('end');
  });

  it('a failed first connection leaves nothing running behind it (no timer keeps the process alive)', async () => {
    const url = new URL(redisTarget.url);
    url.username = 'nobody';
    url.password = SECRET;
    const left = await timersLeftBy(async () => {
      await failure('redis://127.0.0.1:1');
      await failure(url.toString());
    });
    expect(left).toEqual([]);
  });
});
