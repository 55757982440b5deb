import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { type AmiEventMeta, AmiTesting, AmiTestingModule } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { RecordingLogger } from './support/recording-logger.js';

@Injectable()
class EventEmitterListener {
  readonly seen: string[] = [];

  @OnEvent('ami.default.Hangup')
  onHangup(event: AmiEvent, meta: AmiEventMeta) {
    this.seen.push(`hangup:${event.Channel}:${meta.connection}`);
  }

  @OnEvent('ami.*.DialBegin')
  onDial(_event: AmiEvent, meta: AmiEventMeta) {
    this.seen.push(`dial:${meta.connection}`);
  }

  @OnEvent('pbx.pbx2.Hangup')
  onPrefixed(event: AmiEvent) {
    this.seen.push(`prefixed:${event.Channel}`);
  }
}

describe('the @nestjs/event-emitter bridge', () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('publishes AMI events as <prefix>.<connection>.<Event> for @OnEvent listeners', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true }),
        AmiTestingModule.forRoot({ logger: new RecordingLogger(), eventEmitter: true }),
        AmiTestingModule.forRoot({
          name: 'pbx2',
          logger: new RecordingLogger(),
          eventEmitter: { prefix: 'pbx' },
        }),
      ],
      providers: [EventEmitterListener],
    }).compile();
    app = await moduleRef.init();
    await AmiTesting.get(app).emit({ Event: 'Hangup', Channel: 'PJSIP/alice-1' });
    await AmiTesting.get(app).emit({ Event: 'DialBegin' });
    await AmiTesting.get(app, 'pbx2').emit({ Event: 'Hangup', Channel: 'PJSIP/bob-1' });
    expect(app.get(EventEmitterListener).seen).toEqual([
      'hangup:PJSIP/alice-1:default',
      'dial:default',
      'prefixed:PJSIP/bob-1',
    ]);
  });

  it('fails the bootstrap with a clear message when EventEmitterModule is missing', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger: new RecordingLogger(), eventEmitter: true })],
    }).compile();
    app = moduleRef;
    await expect(moduleRef.init()).rejects.toThrow(
      /eventEmitter option needs EventEmitterModule.forRoot\(\)/,
    );
  });
});
