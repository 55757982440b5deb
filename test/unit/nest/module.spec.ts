import { type INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AmiClient } from '../../../lib/client/ami-client.js';
import {
  AmiModule,
  type AmiModuleOptions,
  AmiService,
  AmiTesting,
  AmiTestingModule,
  getAmiServiceToken,
  InjectAmi,
  OnAmiEvent,
} from '../../../lib/nest/index.js';
import { RecordingLogger } from './support/recording-logger.js';

const quiet = () => ({ logger: new RecordingLogger(), connectionInit: { connect: false } });

@Injectable()
class Consumer {
  constructor(
    readonly ami: AmiService,
    @InjectAmi('pbx2') readonly pbx2: AmiService,
  ) {}
}

describe('AmiModule', () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('forRootAsync builds the connection from ConfigService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ AMI_HOST: '10.1.2.3', AMI_PORT: '5040', AMI_USER: 'app', AMI_SECRET: 's3cret' })],
        }),
        AmiModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService): AmiModuleOptions => ({
            host: config.getOrThrow('AMI_HOST'),
            port: Number(config.getOrThrow('AMI_PORT')),
            username: config.getOrThrow('AMI_USER'),
            secret: config.getOrThrow('AMI_SECRET'),
            ...quiet(),
          }),
        }),
      ],
    }).compile();
    app = await moduleRef.init();
    const ami = app.get(AmiService);
    expect(ami.client).toBeInstanceOf(AmiClient);
    expect(ami.connection).toBe('default');
    expect(ami.state).toBe('disconnected');
    expect(ami.isConnected).toBe(false);
    await expect(ami.send({ Action: 'Ping' })).rejects.toThrow(/Ping not sent: not connected/);
  });

  it('forRootAsync takes useClass and useExisting factories', async () => {
    @Injectable()
    class AmiConfig {
      createAmiOptions(): AmiModuleOptions {
        return { username: 'from-class', secret: 'x', ...quiet() };
      }
    }
    @Module({ providers: [AmiConfig], exports: [AmiConfig] })
    class AmiConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRootAsync({ useClass: AmiConfig }),
        AmiModule.forRootAsync({ name: 'pbx2', imports: [AmiConfigModule], useExisting: AmiConfig }),
      ],
    }).compile();
    app = await moduleRef.init();
    expect(app.get(AmiService).connection).toBe('default');
    expect(app.get(getAmiServiceToken('pbx2')).connection).toBe('pbx2');
  });

  it('injects named connections with @InjectAmi and the unnamed one as AmiService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({ username: 'a', secret: 'a', isGlobal: true, ...quiet() }),
        AmiModule.forRootAsync({
          name: 'pbx2',
          isGlobal: true,
          useFactory: () => ({ username: 'b', secret: 'b', ...quiet() }),
        }),
      ],
      providers: [Consumer],
    }).compile();
    app = await moduleRef.init();
    const consumer = app.get(Consumer);
    expect(consumer.ami.connection).toBe('default');
    expect(consumer.pbx2.connection).toBe('pbx2');
    expect(consumer.pbx2).not.toBe(consumer.ami);
    expect(consumer.pbx2.client).not.toBe(consumer.ami.client);
    expect(app.get(getAmiServiceToken())).toBe(consumer.ami);
    expect(getAmiServiceToken('default')).toBe(AmiService);
  });

  it('routes each connection its own handlers only', async () => {
    const seen: string[] = [];
    @Injectable()
    class Listener {
      @OnAmiEvent('Hangup')
      onDefault() {
        seen.push('default');
      }
      @OnAmiEvent('Hangup', { connection: 'pbx2' })
      onPbx2() {
        seen.push('pbx2');
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiTestingModule.forRoot({ logger: new RecordingLogger() }),
        AmiTestingModule.forRoot({ name: 'pbx2', logger: new RecordingLogger() }),
      ],
      providers: [Listener],
    }).compile();
    app = await moduleRef.init();
    await AmiTesting.get(app, 'pbx2').emit({ Event: 'Hangup' });
    expect(seen).toEqual(['pbx2']);
    await AmiTesting.get(app).emit({ Event: 'Hangup' });
    expect(seen).toEqual(['pbx2', 'default']);
  });

  it('lets tests replace a named connection with overrideProvider', async () => {
    const fake = { connection: 'pbx2', send: async () => ({ Response: 'Success' }) };
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({ username: 'a', secret: 'a', isGlobal: true, ...quiet() }),
        AmiModule.forRoot({ name: 'pbx2', username: 'b', secret: 'b', isGlobal: true, ...quiet() }),
      ],
      providers: [Consumer],
    })
      .overrideProvider(getAmiServiceToken('pbx2'))
      .useValue(fake)
      .compile();
    app = await moduleRef.init();
    expect(app.get(Consumer).pbx2).toBe(fake);
  });

  it('refuses missing credentials and bad connection names with a TypeError naming them', async () => {
    expect(() => AmiModule.forRoot({ name: 'pbx.2', username: 'a', secret: 'a' })).toThrow(
      /connection name "pbx.2" is invalid/,
    );
    const compiling = Test.createTestingModule({
      imports: [
        AmiModule.forRootAsync({
          name: 'pbx2',
          useFactory: () => ({ username: 'a', secret: undefined as unknown as string }),
        }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(/AmiModule \(pbx2\): `secret` is missing or empty/);
  });

  it('uses a Nest Logger named after the connection unless given a logger', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({ name: 'pbx2', username: 'a', secret: 'a', connectionInit: { connect: false } }),
      ],
    }).compile();
    app = await moduleRef.init();
    const client = app.get<AmiService>(getAmiServiceToken('pbx2')).client;
    const logger = (client as unknown as { options: { logger: { target: { context?: string } } } }).options
      .logger.target;
    expect(logger.context).toBe('Ami:pbx2');
  });
});

describe('handlers naming a connection nobody registers', () => {
  it('are reported once at bootstrap', async () => {
    @Injectable()
    class Misspelt {
      @OnAmiEvent('Hangup', { connection: 'pbx-2' })
      onHangup() {}
    }
    const logger = new RecordingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger }), AmiTestingModule.forRoot({ name: 'pbx2', logger })],
      providers: [Misspelt],
    }).compile();
    const app = await moduleRef.init();
    await app.close();
    expect(logger.messages('warn')).toEqual([
      'AMI: Misspelt.onHangup listens to the connection "pbx-2", which no AmiModule registers: it will never run',
    ]);
  });
});
