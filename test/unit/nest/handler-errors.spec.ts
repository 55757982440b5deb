import { jest } from '@jest/globals';
import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  type AmiHandlerErrorContext,
  AmiTesting,
  AmiTestingModule,
  OnAmiConnected,
  OnAmiEvent,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { RecordingLogger } from './support/recording-logger.js';

const perHandlerHook = jest.fn<(error: unknown, context: AmiHandlerErrorContext) => unknown>();

@Injectable()
class Listeners {
  readonly seen: string[] = [];

  @OnAmiEvent('Hangup')
  throwsSync() {
    throw new Error('sync failure');
  }

  @OnAmiEvent('Hangup')
  async rejects() {
    await Promise.resolve();
    throw new Error('async failure');
  }

  @OnAmiEvent('Hangup', { onError: perHandlerHook })
  throwsWithOwnHook() {
    throw new Error('own hook failure');
  }

  @OnAmiEvent('Hangup', {
    filter: () => {
      throw new Error('filter failure');
    },
  })
  neverCalled() {
    this.seen.push('filtered');
  }

  @OnAmiEvent('Hangup')
  works(event: AmiEvent) {
    this.seen.push(`works:${event.Channel}`);
  }

  @OnAmiConnected()
  lifecycleThrows() {
    throw new Error('lifecycle failure');
  }
}

describe('failing handlers', () => {
  let app: INestApplicationContext;
  let logger: RecordingLogger;
  const moduleHook = jest.fn<(error: unknown, context: AmiHandlerErrorContext) => unknown>();

  beforeEach(async () => {
    logger = new RecordingLogger();
    moduleHook.mockReset();
    perHandlerHook.mockReset();
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger, onHandlerError: moduleHook })],
      providers: [Listeners],
    }).compile();
    app = await moduleRef.init();
  });

  afterEach(() => app.close());

  it('are logged with class, method and event, and never stop the other handlers', async () => {
    const ami = AmiTesting.get(app);
    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-1' });
    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-2' });
    expect(app.get(Listeners).seen).toEqual(['works:PJSIP/alice-1', 'works:PJSIP/alice-2']);
    const errors = logger.messages('error');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Listeners\.throwsSync failed on Hangup: sync failure/),
        expect.stringMatching(/Listeners\.rejects failed on Hangup: async failure/),
        expect.stringMatching(/Listeners\.throwsWithOwnHook failed on Hangup: own hook failure/),
        expect.stringMatching(/Listeners\.neverCalled failed on Hangup: filter failure/),
      ]),
    );
    expect(errors).toHaveLength(8);
  });

  it('go to the handler hook when it has one, to the module hook otherwise', async () => {
    await AmiTesting.get(app).emit({ Event: 'Hangup', Channel: 'PJSIP/bob-1' });
    expect(perHandlerHook).toHaveBeenCalledTimes(1);
    expect(perHandlerHook.mock.calls[0][0]).toEqual(new Error('own hook failure'));
    expect(perHandlerHook.mock.calls[0][1]).toMatchObject({
      connection: 'default',
      className: 'Listeners',
      methodName: 'throwsWithOwnHook',
      event: { Event: 'Hangup', Channel: 'PJSIP/bob-1' },
    });
    const failed = moduleHook.mock.calls.map(([, context]) => context.methodName).sort();
    expect(failed).toEqual(['neverCalled', 'rejects', 'throwsSync']);
  });

  it('of lifecycle handlers are reported with the lifecycle event', async () => {
    await AmiTesting.get(app).connected();
    expect(moduleHook).toHaveBeenCalledTimes(1);
    expect(moduleHook.mock.calls[0][1]).toMatchObject({
      methodName: 'lifecycleThrows',
      lifecycle: { kind: 'connected', connection: 'default' },
    });
    expect(logger.messages('error')).toEqual([
      expect.stringMatching(/Listeners\.lifecycleThrows failed on lifecycle connected: lifecycle failure/),
    ]);
  });

  it('do not break anything when the error hook itself throws', async () => {
    moduleHook.mockImplementation(() => {
      throw new Error('hook failure');
    });
    await AmiTesting.get(app).emit({ Event: 'Hangup', Channel: 'PJSIP/carol-1' });
    expect(app.get(Listeners).seen).toEqual(['works:PJSIP/carol-1']);
    expect(logger.messages('error')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/the error hook failed for Listeners\.rejects: hook failure/),
      ]),
    );
  });
});
