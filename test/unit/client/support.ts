import { createHook } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import { AmiClient, type AmiClientOptions, type AmiLogger } from '../../../lib/client.js';
import { FakeAmiServer, type FakeAmiServerOptions } from '../../../lib/testing/index.js';

/** A logger that keeps every line, to look for secrets and for reports. */
export class CapturingLogger implements AmiLogger {
  readonly lines: string[] = [];
  log = (...args: unknown[]) => this.keep('log', args);
  error = (...args: unknown[]) => this.keep('error', args);
  warn = (...args: unknown[]) => this.keep('warn', args);
  debug = (...args: unknown[]) => this.keep('debug', args);
  verbose = (...args: unknown[]) => this.keep('verbose', args);

  get text(): string {
    return this.lines.join('\n');
  }

  private keep(level: string, args: unknown[]): void {
    this.lines.push(
      `${level} ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`,
    );
  }
}

/** Servers and clients opened by a test, all closed by `cleanup()` so jest exits on its own. */
export class Harness {
  private readonly servers: FakeAmiServer[] = [];
  private readonly clients: AmiClient[] = [];

  async server(options: FakeAmiServerOptions = {}): Promise<FakeAmiServer> {
    const server = await FakeAmiServer.start(options);
    this.servers.push(server);
    return server;
  }

  /** A client for `server` (or a bare port) logging in as admin/secret, no reconnect, no keepalive. */
  client(server: FakeAmiServer | number, options: Partial<AmiClientOptions> = {}): AmiClient {
    const client = new AmiClient({
      host: '127.0.0.1',
      port: typeof server === 'number' ? server : server.port,
      username: 'admin',
      secret: 'secret',
      reconnect: false,
      keepAlive: false,
      connectTimeout: 3_000,
      loginTimeout: 3_000,
      actionTimeout: 5_000,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients.splice(0)) {
      client.destroy();
      client.removeAllListeners();
    }
    await Promise.all(this.servers.splice(0).map((server) => server.close()));
  }
}

/** The next `name` event of `emitter`, or a rejection after `timeout` ms. */
/** How many listeners each event that has any holds. */
export function listenerCounts(emitter: EventEmitter): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of emitter.eventNames()) counts[String(name)] = emitter.listenerCount(name);
  return counts;
}

export function nextEvent<T = unknown>(emitter: EventEmitter, name: string, timeout = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      reject(new Error(`no "${name}" event within ${timeout} ms`));
    }, timeout);
    emitter.once(name, listener);
  });
}

/** Polls `condition` every 5 ms until it holds, or rejects after `timeout` ms. */
export async function waitUntil(
  condition: () => boolean,
  timeout = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeout} ms`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, got a resolution');
}

/**
 * Follows every async resource of the given types (`Timeout`, `TCPWRAP`, `TCPSERVERWRAP`), ref'd or
 * not: getActiveResourcesInfo misses unref'd timers, and the client unrefs its action timers.
 * `leftOver()` counts the resources created so far that are still alive.
 */
export function trackResources(types: readonly string[]) {
  const live = new Set<number>();
  const hook = createHook({
    init: (id, type) => {
      if (types.includes(type)) live.add(id);
    },
    destroy: (id) => {
      live.delete(id);
    },
  }).enable();
  return {
    async leftOver(): Promise<number> {
      const created = [...live];
      const remaining = () => created.filter((id) => live.has(id)).length;
      // Destroy hooks are emitted asynchronously, later on a loaded machine: give them up to a second.
      // Timers made while waiting were created after the snapshot, so they are not counted.
      for (let turn = 0; turn < 100 && remaining() > 0; turn++) await sleep(10);
      return remaining();
    },
    stop: () => hook.disable(),
  };
}
