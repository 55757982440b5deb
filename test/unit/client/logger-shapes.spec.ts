import { type AmiDisconnectInfo, AmiInvalidActionError, type AmiLogger } from '../../../lib/client.js';
import { Harness, nextEvent, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

type Call = [method: string, ...args: unknown[]];

/**
 * A fake logger with exactly `methods`, each recording its call. The methods read `this`, as pino's do:
 * one called detached from its logger records nothing.
 */
function fakeLogger(methods: readonly string[], calls: Call[] = []): AmiLogger & { calls: Call[] } {
  class Fake {
    calls = calls;
  }
  for (const name of methods) {
    Object.defineProperty(Fake.prototype, name, {
      value(this: Fake, ...args: unknown[]) {
        this.calls.push([name, ...args]);
      },
    });
  }
  return new Fake() as unknown as AmiLogger & { calls: Call[] };
}

const userEvent = (value: string) => ({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: value });

/** Connects (frames traced), has a listener fail, disconnects: one line at each level the client uses. */
async function logEveryLevel(logger: unknown): Promise<void> {
  const server = await harness.server();
  const client = harness.client(server, { logger: logger as AmiLogger, traceFrames: true });
  await client.connect();
  client.onEvent('UserEvent', () => {
    throw new Error('listener bug');
  });
  // Runs after the failing listener, so the failure is logged once it resolves.
  const seen = new Promise<void>((resolve) => client.onEvent('UserEvent', () => resolve()));
  server.emitEvent(userEvent('one'));
  await seen;
  await client.disconnect();
}

const lineOf = (call: Call | undefined) => (call === undefined ? undefined : String(call[1]));

describe('AmiClient: the common logger shapes', () => {
  it.each([
    ["Nest's Logger", ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'], 'log'],
    ['console', ['log', 'info', 'warn', 'error', 'debug', 'trace'], 'info'],
    ['pino', ['info', 'warn', 'error', 'debug', 'trace', 'fatal'], 'info'],
  ])('%s: each line reaches the method of its level, called on the logger', async (_shape, methods, info) => {
    const logger = fakeLogger(methods);
    await logEveryLevel(logger);
    const at = (method: string) => logger.calls.filter(([name]) => name === method).map(lineOf);
    expect(at(info)).toEqual([
      expect.stringMatching(/^AMI logged in to /),
      expect.stringMatching(/^AMI disconnected from .* \(logoff\)$/),
    ]);
    expect(at('error')).toEqual([expect.stringMatching(/listener failed on UserEvent: listener bug/)]);
    expect(at('debug')).toContainEqual(expect.stringMatching(/^AMI <- .*"UserEvent":"one"/));
  });

  it('winston: informational lines go to info(), never to log(level, message)', async () => {
    const logger = fakeLogger(['info', 'warn', 'error', 'debug', 'verbose', 'log']);
    await logEveryLevel(logger);
    expect(logger.calls.filter(([name]) => name === 'log')).toEqual([]);
    expect(logger.calls.filter(([name]) => name === 'info').map(lineOf)).toEqual([
      expect.stringMatching(/^AMI logged in to /),
      expect.stringMatching(/^AMI disconnected from /),
    ]);
  });

  it('a logger without debug() still gets the other lines', async () => {
    const logger = fakeLogger(['log', 'warn', 'error']);
    await logEveryLevel(logger);
    expect(logger.calls.map(([name]) => name)).toEqual(['log', 'error', 'log']);
  });

  it.each([
    ['nothing usable', {}, /logger lacks info\(\) or log\(\), warn\(\), error\(\)/],
    ['no warn()', fakeLogger(['info', 'error']), /logger lacks warn\(\)/],
    ['winston-like without info or log', fakeLogger(['warn', 'error', 'debug']), /lacks info\(\) or log\(\)/],
    ['a string', 'console', /logger must be an object .*not string/],
  ])('a logger with %s is refused at construction, clearly', (_what, logger, message) => {
    const build = () => harness.client(1, { logger: logger as AmiLogger });
    expect(build).toThrow(AmiInvalidActionError);
    expect(build).toThrow(message);
  });
});

describe('AmiClient: a logger that throws breaks nothing', () => {
  /**
   * A logger whose every method throws (or, for `error`, returns a rejected promise) once `broken`, so
   * that each test breaks it at the step it is about.
   */
  function breakableLogger(broken: boolean): AmiLogger & { broken: boolean } {
    const logger = {
      broken,
      log: () => fail(),
      warn: () => fail(),
      debug: () => fail(),
      error: () => (logger.broken ? Promise.reject(new Error('async logger down')) : undefined),
    };
    const fail = () => {
      if (logger.broken) throw new Error('logger down');
    };
    return logger;
  }

  it('connect() resolves: no logged-in session behind a rejection', async () => {
    const server = await harness.server();
    const client = harness.client(server, { logger: breakableLogger(true) });
    await expect(client.connect()).resolves.toBeUndefined();
    expect(client.state).toBe('connected');
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('events keep reaching every listener, frames traced or not', async () => {
    const server = await harness.server();
    const logger = breakableLogger(false);
    const client = harness.client(server, { logger, traceFrames: true });
    await client.connect();
    logger.broken = true;
    const received: string[] = [];
    client.onEvent('UserEvent', () => {
      throw new Error('listener bug');
    });
    client.onEvent('UserEvent', (event) => {
      received.push(String(event.UserEvent));
    });
    for (const value of ['one', 'two', 'three']) server.emitEvent(userEvent(value));
    await waitUntil(() => received.length === 3, 5_000, 'three events delivered');
    expect(received).toEqual(['one', 'two', 'three']);
    expect(client.state).toBe('connected');
  });

  it.each([
    ['disconnect()', 'logoff'],
    ['destroy()', 'destroyed'],
  ])('%s: the disconnect event still comes, and the process lives on', async (how, reason) => {
    const server = await harness.server();
    const logger = breakableLogger(false);
    const client = harness.client(server, { logger });
    await client.connect();
    logger.broken = true;
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    if (how === 'destroy()') expect(() => client.destroy()).not.toThrow();
    else await expect(client.disconnect()).resolves.toBeUndefined();
    expect(await disconnected).toMatchObject({ reason, willReconnect: false });
    expect(client.state).toBe('disconnected');
    await server.waitForNoConnections();
  });
});
