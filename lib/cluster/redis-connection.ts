import type { Redis, RedisOptions } from 'ioredis';
import type { AmiRedisSource } from './cluster.types.js';
import { AmiRedisError } from './cluster-errors.js';
import { redactRedisUrl, withoutPassword } from './redis-url.js';

export interface AmiRedisConnection {
  readonly redis: Redis;
  /** The server for log lines: the URL without its password, or `host:port` of a given client. */
  readonly target: string;
  /** Closes the client when we opened it; a client the application gave stays open, it is theirs. */
  close(): Promise<void>;
}

export interface AmiRedisConnectOptions {
  /** How long the first connection (or the first PING on a given client) may take. Default 10 s. */
  readonly connectTimeout?: number;
}

const DEFAULT_CONNECT_TIMEOUT = 10_000;

/**
 * Opens (or checks) the Redis connection cluster mode runs on. ioredis is imported here, lazily: an
 * application without cluster mode never loads it, and need not install it.
 *
 * A client we open fails fast on its first connection (no retry: a wrong URL or password must fail the
 * bootstrap, as a wrong AMI secret does), then reconnects by itself forever, and queues commands while
 * Redis is away (`maxRetriesPerRequest: null`): the lease and the publisher keep their own deadlines.
 */
export async function connectRedis(
  source: AmiRedisSource,
  options: AmiRedisConnectOptions = {},
): Promise<AmiRedisConnection> {
  const timeout = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
  // Typed structurally in the public API; what is given is an ioredis client.
  if (typeof source !== 'string') return checkGivenClient(source as Redis, timeout);
  const target = redactRedisUrl(source);
  if (!/^rediss?:\/\//i.test(source)) {
    throw new AmiRedisError(`Redis URL must start with redis:// or rediss://, got ${target}`, target);
  }
  const RedisClient = await loadIoredis(target);
  let connected = false;
  let lastError: (Error & { code?: string }) | undefined;
  const settings: RedisOptions = {
    lazyConnect: true,
    connectTimeout: timeout,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => (connected ? Math.min(50 * 2 ** Math.min(times, 6), 2_000) : null),
  };
  let redis: Redis;
  try {
    redis = new RedisClient(source, settings);
  } catch (error) {
    throw new AmiRedisError(`Redis URL ${target} is not valid: ${describe(error, source)}`, target);
  }
  // ioredis reports why through 'error' and rejects connect() with a bare "Connection is closed".
  redis.on('error', (error: Error & { code?: string }) => {
    lastError = error;
  });
  try {
    await redis.connect();
    connected = true;
  } catch (error) {
    closeFailedClient(redis);
    const cause = lastError ?? (error as Error & { code?: string });
    throw new AmiRedisError(
      `Redis at ${target} refused or could not be reached: ${describe(cause, source)}`,
      target,
      codeOf(cause),
    );
  }
  return {
    redis,
    target,
    close: async () => {
      if (redis.status === 'end') return;
      const ended = new Promise((resolve) => redis.once('end', resolve));
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
    },
  };
}

/**
 * Stops a client whose first connection failed. Once it has ended (no retry before the first connection),
 * disconnect() would only arm ioredis' 2 s timer on the socket already closed, which then keeps the process
 * alive: call it only while the client still has a connection or a reconnection to stop.
 */
function closeFailedClient(redis: Redis): void {
  if (redis.status !== 'end') redis.disconnect();
}

async function checkGivenClient(redis: Redis, timeout: number): Promise<AmiRedisConnection> {
  const target = `${redis.options.host ?? '?'}:${redis.options.port ?? '?'}`;
  let timer: NodeJS.Timeout | undefined;
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
  };
  redis.on('error', onError);
  try {
    await Promise.race([
      // A client still connecting may refuse commands (enableOfflineQueue: false): wait for it first.
      untilReady(redis).then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(lastError ?? new Error(`not ready and no answer to PING within ${timeout} ms`)),
          timeout,
        );
      }),
    ]);
  } catch (error) {
    throw new AmiRedisError(
      `the Redis client given (${target}) does not answer: ${describe(error, undefined, redis.options.password)}`,
      target,
      codeOf(error),
    );
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
  return { redis, target, close: async () => undefined };
}

function untilReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'wait') return redis.connect();
  if (redis.status === 'end' || redis.status === 'close') {
    return Promise.reject(new Error(`the client is closed (status ${redis.status})`));
  }
  return new Promise((resolve, reject) => {
    const ready = () => {
      redis.off('end', ended);
      resolve();
    };
    const ended = () => {
      redis.off('ready', ready);
      reject(new Error('the client closed before it was ready'));
    };
    redis.once('ready', ready);
    redis.once('end', ended);
  });
}

async function loadIoredis(target: string): Promise<typeof Redis> {
  try {
    return (await import('ioredis')).Redis;
  } catch {
    throw new AmiRedisError(
      'cluster mode needs the ioredis package: npm install ioredis (it is an optional peer dependency)',
      target,
    );
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  // Reply errors carry the code as the message's first word: WRONGPASS, NOAUTH, NOPERM...
  const word = error instanceof Error ? /^([A-Z]{3,})\b/.exec(error.message)?.[1] : undefined;
  return word;
}

function describe(error: unknown, url: string | undefined, password?: string): string {
  let message = error instanceof Error ? error.message : String(error);
  message = withoutPassword(message, url);
  if (password) message = message.split(password).join('<redacted>');
  return message;
}
