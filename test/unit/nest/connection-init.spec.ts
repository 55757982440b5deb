import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiConnectionError } from '../../../lib/errors/ami-errors.js';
import {
  type AmiConnectionInitOptions,
  AmiModule,
  type AmiReconnectingEvent,
  AmiService,
  OnAmiReconnecting,
} from '../../../lib/nest/index.js';
import { closedPort } from './support/closed-port.js';
import { deferred } from './support/deferred.js';
import { RecordingLogger } from './support/recording-logger.js';

let attempts: AmiReconnectingEvent[] = [];
let firstRetry = deferred<AmiReconnectingEvent>();

@Injectable()
class RetryWatcher {
  @OnAmiReconnecting()
  onRetry(event: AmiReconnectingEvent) {
    attempts.push(event);
    firstRetry.resolve(event);
  }
}

describe('connectionInit against a port nobody listens on', () => {
  let port: number;
  let logger: RecordingLogger;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    port = await closedPort();
    logger = new RecordingLogger();
    attempts = [];
    firstRetry = deferred<AmiReconnectingEvent>();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function create(connectionInit: AmiConnectionInitOptions, reconnect: boolean | object) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({
          port,
          username: 'nestjs',
          secret: 'nestjs-ami-secret',
          logger,
          keepAlive: false,
          reconnect,
          connectionInit,
        }),
      ],
      providers: [RetryWatcher],
    }).compile();
    app = moduleRef;
    return moduleRef;
  }

  it('by default fails the bootstrap with the connection error', async () => {
    const moduleRef = await create({}, false);
    const init = moduleRef.init();
    await expect(init).rejects.toBeInstanceOf(AmiConnectionError);
    await expect(init).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const ami = moduleRef.get(AmiService);
    expect(ami.state).toBe('disconnected');
    expect(ami.client.willReconnect).toBe(false);
  });

  it('keeps retrying until connectionInit.timeout, then fails the bootstrap and stops the client', async () => {
    const moduleRef = await create({ timeout: 400 }, { initialDelay: 20, maxDelay: 40 });
    const init = moduleRef.init();
    await expect(init).rejects.toMatchObject({
      name: 'AmiConnectionError',
      code: 'ETIMEDOUT',
      message: expect.stringMatching(/default: no login within 400 ms.*last error: .*ECONNREFUSED/),
    });
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts[0]).toMatchObject({ kind: 'reconnecting', connection: 'default', attempt: 1 });
    const ami = moduleRef.get(AmiService);
    expect(ami.state).toBe('disconnected');
    expect(ami.client.willReconnect).toBe(false);
  });

  it('with failOnError: false starts the app and keeps trying in the background', async () => {
    const moduleRef = await create({ timeout: 100, failOnError: false }, { initialDelay: 20, maxDelay: 40 });
    await moduleRef.init();
    expect(logger.messages('warn')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/not connected at startup .*still trying in the background/),
      ]),
    );
    const ami = moduleRef.get(AmiService);
    expect(ami.client.willReconnect).toBe(true);
    // Still trying after the bootstrap gave up waiting: another retry comes, however long it takes.
    const countBefore = attempts.length;
    const deadline = Date.now() + 4_000;
    while (attempts.length <= countBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(attempts.length).toBeGreaterThan(countBefore);
  });

  it('with wait: false starts the app at once; the retries reach the lifecycle handlers', async () => {
    const moduleRef = await create({ wait: false }, { initialDelay: 20, maxDelay: 40 });
    await moduleRef.init();
    const ami = moduleRef.get(AmiService);
    expect(ami.isConnected).toBe(false);
    expect(await firstRetry.promise).toMatchObject({ attempt: 1, error: expect.any(AmiConnectionError) });
    await moduleRef.close();
    app = undefined;
    expect(ami.state).toBe('disconnected');
    expect(ami.client.willReconnect).toBe(false);
    expect(logger.messages('error').filter((line) => line.includes('gave up connecting'))).toEqual([]);
  });

  it('with connect: false opens nothing', async () => {
    const moduleRef = await create({ connect: false }, true);
    await moduleRef.init();
    const ami = moduleRef.get(AmiService);
    expect(ami.state).toBe('disconnected');
    expect(ami.client.willReconnect).toBe(false);
    expect(attempts).toEqual([]);
  });
});
