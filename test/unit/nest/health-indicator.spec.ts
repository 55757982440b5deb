import { Controller, Get, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { AmiHealthIndicator, AmiModule, AmiTestingModule } from '../../../lib/nest/index.js';
import { FakeAmiServer } from '../../../lib/testing/index.js';
import { RecordingLogger } from './support/recording-logger.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly ami: AmiHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.ami.isHealthy('ami', { timeout: 500 })]);
  }
}

describe('AmiHealthIndicator', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TerminusModule.forRoot({ logger: false }),
        AmiTestingModule.forRoot({ logger: new RecordingLogger() }),
      ],
      controllers: [HealthController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('is down, with the state, while the connection is not logged in', async () => {
    const indicator = app.get(AmiHealthIndicator);
    await expect(indicator.isHealthy()).resolves.toEqual({
      ami: { status: 'down', connection: 'default', state: 'disconnected', message: 'not logged in' },
    });
  });

  it('is down for a connection that does not exist', async () => {
    const indicator = app.get(AmiHealthIndicator);
    await expect(indicator.isHealthy('pbx9', { connection: 'pbx9' })).resolves.toEqual({
      pbx9: { status: 'down', connection: 'pbx9', message: 'no AMI connection named "pbx9"' },
    });
  });

  it('makes the terminus health check fail', async () => {
    const controller = app.get(HealthController);
    await expect(controller.check()).rejects.toMatchObject({
      response: { status: 'error', error: { ami: { status: 'down' } } },
    });
  });
});

describe('AmiHealthIndicator on a logged-in connection', () => {
  let server: FakeAmiServer;
  let app: INestApplication;
  beforeAll(async () => {
    server = await FakeAmiServer.start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        TerminusModule.forRoot({ logger: false }),
        AmiModule.forRoot({
          port: server.port,
          username: 'admin',
          secret: 'secret',
          reconnect: false,
          keepAlive: false,
          logger: new RecordingLogger(),
        }),
      ],
      controllers: [HealthController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await server.close();
  });
  afterEach(() => server.resumeAnswering());

  it('is up, with the AMI version, once a Ping is answered', async () => {
    const indicator = app.get(AmiHealthIndicator);
    await expect(indicator.isHealthy()).resolves.toEqual({
      ami: { status: 'up', connection: 'default', amiVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    });
  });

  it('makes the terminus health check pass', async () => {
    const controller = app.get(HealthController);
    await expect(controller.check()).resolves.toMatchObject({
      status: 'ok',
      info: { ami: { status: 'up', connection: 'default' } },
    });
  });

  it('is down, with the reason, when the Ping goes unanswered', async () => {
    server.stopAnswering();
    const indicator = app.get(AmiHealthIndicator);
    await expect(indicator.isHealthy('ami', { timeout: 100 })).resolves.toEqual({
      ami: {
        status: 'down',
        connection: 'default',
        state: 'connected',
        message: expect.stringMatching(/Ping got no answer within 100 ms/),
      },
    });
  });
});
