import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiRedisError } from '../../../lib/cluster/cluster-errors.js';
import { AmiInvalidActionError } from '../../../lib/errors/ami-errors.js';
import { AmiModule, AmiService } from '../../../lib/nest/index.js';
import { FakeAmiServer } from '../../../lib/testing/index.js';
import { closedPort } from './support/closed-port.js';
import { RecordingLogger } from './support/recording-logger.js';

const PASSWORD = 'r3dis-s3cret';

describe('cluster mode at bootstrap, against a Redis port nobody listens on', () => {
  let server: FakeAmiServer;
  let logger: RecordingLogger;
  let app: INestApplicationContext | undefined;
  let redisPort: number;

  beforeAll(async () => {
    server = await FakeAmiServer.start();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    logger = new RecordingLogger();
    redisPort = await closedPort();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function create(failOnError: boolean) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({
          port: server.port,
          username: 'admin',
          secret: 'secret',
          reconnect: false,
          keepAlive: false,
          logger,
          connectionInit: { failOnError, timeout: 5_000 },
          cluster: { redis: `redis://:${PASSWORD}@127.0.0.1:${redisPort}/0`, group: 'billing' },
        }),
      ],
    }).compile();
    app = moduleRef;
    await moduleRef.init();
    return moduleRef;
  }

  it('rejects the bootstrap with AmiRedisError (failOnError), naming Redis and not its password', async () => {
    const failure = await create(true).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AmiRedisError);
    expect(String((failure as Error).message)).not.toContain(PASSWORD);
    expect(JSON.stringify(failure)).not.toContain(PASSWORD);
    expect(logger.lines.some((line) => line.message.includes(PASSWORD))).toBe(false);
  });

  it('starts the application anyway with failOnError false, and says so without the password', async () => {
    const started = await create(false);
    const service = started.get(AmiService);
    expect(service.cluster).not.toBeNull();
    expect(service.cluster?.role).toBe('follower');
    expect(logger.messages('error').some((line) => /cluster mode did not start/.test(line))).toBe(true);
    expect(logger.lines.some((line) => line.message.includes(PASSWORD))).toBe(false);
  });
});

describe('AmiService.cluster', () => {
  it('is null without cluster mode', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({
          username: 'a',
          secret: 'b',
          connectionInit: { connect: false },
          logger: new RecordingLogger(),
        }),
      ],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(AmiService).cluster).toBeNull();
    await moduleRef.close();
  });

  it('refuses bad cluster options when the module is created, naming the option', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        AmiModule.forRoot({
          username: 'a',
          secret: 'b',
          logger: new RecordingLogger(),
          cluster: { redis: 'redis://127.0.0.1:1', group: 'has space' },
        }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(AmiInvalidActionError);
    await expect(compiling).rejects.toThrow(/cluster.group/);
  });
});
