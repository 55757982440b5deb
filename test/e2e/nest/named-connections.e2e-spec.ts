import { type INestApplication, Injectable } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AmiActionError } from '../../../lib/errors/ami-errors.js';
import {
  type AmiEventMeta,
  AmiModule,
  type AmiService,
  InjectAmi,
  OnAmiEvent,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { auditedLogging } from '../support/log-audit.js';
import { amiEnvironment, hangupsOf, shortCall, waitFor } from './support/nest-fixtures.js';

const WATCHED = ['Hangup', 'UserEvent'];

@Injectable()
class MainListener {
  readonly events: Array<{ event: AmiEvent; meta: AmiEventMeta }> = [];

  @OnAmiEvent(WATCHED, { connection: 'main' })
  record(event: AmiEvent, meta: AmiEventMeta) {
    this.events.push({ event, meta });
  }
}

@Injectable()
class ReaderListener {
  readonly events: Array<{ event: AmiEvent; meta: AmiEventMeta }> = [];

  @OnAmiEvent(WATCHED, { connection: 'reader' })
  record(event: AmiEvent, meta: AmiEventMeta) {
    this.events.push({ event, meta });
  }
}

@Injectable()
class Pbx {
  constructor(
    @InjectAmi('main') readonly main: AmiService,
    @InjectAmi('reader') readonly reader: AmiService,
  ) {}
}

const connection = (name: 'main' | 'reader', user: string, secret: string) =>
  AmiModule.forRootAsync({
    name,
    imports: [ConfigModule],
    inject: [ConfigService],
    useFactory: (config: ConfigService) => ({
      host: config.getOrThrow('AMI_HOST'),
      port: Number(config.getOrThrow('AMI_PORT')),
      username: config.getOrThrow(user),
      secret: config.getOrThrow(secret),
      ...auditedLogging(),
      keepAlive: false,
    }),
  });

describe('two named connections to the real Asterisk 22, one read-limited', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [amiEnvironment()] }),
        connection('main', 'AMI_USERNAME', 'AMI_SECRET'),
        connection('reader', 'AMI_READER_USERNAME', 'AMI_READER_SECRET'),
      ],
      providers: [MainListener, ReaderListener, Pbx],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('logs both in, as their own users', async () => {
    const { main, reader } = app.get(Pbx);
    expect(main.isConnected).toBe(true);
    expect(reader.isConnected).toBe(true);
    expect(main.client).not.toBe(reader.client);
    await expect(
      reader.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1' }),
    ).rejects.toBeInstanceOf(AmiActionError);
  });

  it('routes each connection its own events: both see the calls, only the full user sees UserEvent', async () => {
    const { main } = app.get(Pbx);
    const mainListener = app.get(MainListener);
    const readerListener = app.get(ReaderListener);
    await main.send({ Action: 'UserEvent', UserEvent: 'nest-e2e-marker' });
    await waitFor(
      () => mainListener.events.some(({ event }) => event.UserEvent === 'nest-e2e-marker'),
      'the UserEvent on the main connection',
    );
    // The reader gets the call's Hangups after the UserEvent was raised: had it received that, it would be here.
    const base = await shortCall(main);
    await waitFor(
      () =>
        hangupsOf(
          mainListener.events.map(({ event }) => event),
          base,
        ).length === 2 &&
        hangupsOf(
          readerListener.events.map(({ event }) => event),
          base,
        ).length === 2,
      'the Hangups on both connections',
    );
    expect(readerListener.events.filter(({ event }) => event.Event === 'UserEvent')).toEqual([]);
    expect(new Set(mainListener.events.map(({ meta }) => meta.connection))).toEqual(new Set(['main']));
    expect(new Set(readerListener.events.map(({ meta }) => meta.connection))).toEqual(new Set(['reader']));
  }, 30_000);
});
