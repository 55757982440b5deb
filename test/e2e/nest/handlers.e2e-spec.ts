import { type INestApplication, Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import {
  type AmiEventMeta,
  type AmiHandlerErrorContext,
  AmiHealthIndicator,
  AmiService,
  OnAmiEvent,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { amiFromConfig, hangupsOf, shortCall, waitFor } from './support/nest-fixtures.js';

@Injectable()
class HangupRecorder {
  readonly hangups: Array<{ event: AmiEvent; meta: AmiEventMeta }> = [];

  @OnAmiEvent('Hangup')
  onHangup(event: AmiEvent, meta: AmiEventMeta) {
    this.hangups.push({ event, meta });
  }
}

@Injectable()
class FaultyListener {
  @OnAmiEvent('Hangup')
  throws() {
    throw new Error('this handler always throws');
  }

  @OnAmiEvent('*')
  async rejects(event: AmiEvent) {
    await new Promise((resolve) => setImmediate(resolve));
    if (event.Event === 'Newchannel') throw new Error('this handler rejects on Newchannel');
  }
}

@Injectable()
class BridgeListener {
  readonly hangups: AmiEvent[] = [];

  @OnEvent('ami.default.Hangup')
  onHangup(event: AmiEvent) {
    this.hangups.push(event);
  }
}

describe('a Nest app on the real Asterisk 22 (forRootAsync + ConfigService)', () => {
  let app: INestApplication;
  const handlerErrors: AmiHandlerErrorContext[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        ...amiFromConfig({
          eventEmitter: true,
          onHandlerError: (_error, context) => {
            handlerErrors.push(context);
          },
        }),
      ],
      providers: [HangupRecorder, FaultyListener, BridgeListener],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('is logged in once the bootstrap resolves', () => {
    const ami = app.get(AmiService);
    expect(ami.isConnected).toBe(true);
    expect(ami.amiVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('delivers the Hangup events of a real call to @OnAmiEvent("Hangup")', async () => {
    const recorder = app.get(HangupRecorder);
    const base = await shortCall(app.get(AmiService));
    await waitFor(
      () =>
        hangupsOf(
          recorder.hangups.map((entry) => entry.event),
          base,
        ).length === 2,
      'two Hangups',
    );
    const hangups = recorder.hangups.filter((entry) => String(entry.event.Channel).startsWith(`${base};`));
    expect(hangups.map((entry) => entry.event.Channel).sort()).toEqual([`${base};1`, `${base};2`]);
    for (const { event, meta } of hangups) {
      expect(event.Cause).toBe('16');
      expect(event['Cause-txt']).toBe('Normal Clearing');
      expect(meta).toEqual({ connection: 'default', fromAction: false });
    }
  }, 30_000);

  it('keeps the connection and the other handlers working while some handlers throw', async () => {
    const recorder = app.get(HangupRecorder);
    const ami = app.get(AmiService);
    const first = await shortCall(ami);
    const second = await shortCall(ami);
    await waitFor(() => {
      const events = recorder.hangups.map((entry) => entry.event);
      return hangupsOf(events, first).length === 2 && hangupsOf(events, second).length === 2;
    }, 'the Hangups of both calls');
    expect(handlerErrors.filter((context) => context.methodName === 'throws').length).toBeGreaterThanOrEqual(
      4,
    );
    expect(handlerErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          className: 'FaultyListener',
          methodName: 'rejects',
          event: expect.objectContaining({ Event: 'Newchannel' }),
        }),
      ]),
    );
    expect(ami.isConnected).toBe(true);
    expect((await ami.send({ Action: 'Ping' })).Ping).toBe('Pong');
  }, 30_000);

  it('publishes the events on @nestjs/event-emitter as ami.default.<Event>', async () => {
    const bridge = app.get(BridgeListener);
    const base = await shortCall(app.get(AmiService));
    await waitFor(() => hangupsOf(bridge.hangups, base).length === 2, 'two bridged Hangups');
  }, 30_000);

  it('reports up through the terminus health indicator while a Ping is answered', async () => {
    const result = await app.get(AmiHealthIndicator).isHealthy('pbx');
    expect(result.pbx).toMatchObject({ status: 'up', connection: 'default' });
  });
});
