import { Controller, Get, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { AmiHealthIndicator, AmiTestingModule } from '../../../lib/nest/index.js';
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
