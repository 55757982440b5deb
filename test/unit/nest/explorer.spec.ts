import { jest } from '@jest/globals';
import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { AmiExplorer } from '../../../lib/nest/ami.explorer.js';
import { AmiService, SERVICE_DISPATCHER } from '../../../lib/nest/ami.service.js';
import { getAmiEventHandlerMetadata } from '../../../lib/nest/decorators/on-ami-event.decorator.js';
import { getAmiLifecycleHandlerMetadata } from '../../../lib/nest/decorators/on-ami-lifecycle.decorator.js';
import { AmiDispatcher } from '../../../lib/nest/dispatch/ami-dispatcher.js';
import {
  type AmiConnectedEvent,
  type AmiEventMeta,
  AmiTesting,
  AmiTestingModule,
  getAmiServiceToken,
  OnAmiConnected,
  OnAmiEvent,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { RecordingLogger } from './support/recording-logger.js';

const seen: string[] = [];

@Injectable()
class TwoConnectionListener {
  @OnAmiEvent('Hangup')
  onDefaultHangup(event: AmiEvent, meta: AmiEventMeta) {
    seen.push(`default-hangup:${event.Channel}:${meta.connection}`);
  }

  @OnAmiEvent(['Hangup', 'Newchannel'], { connection: 'pbx2' })
  onPbx2(event: AmiEvent, meta: AmiEventMeta) {
    seen.push(`pbx2-${event.Event}:${event.Channel}:${meta.connection}`);
  }

  @OnAmiConnected({ connection: 'pbx2' })
  onPbx2Connected(event: AmiConnectedEvent) {
    seen.push(`pbx2-connected:${event.connection}`);
  }
}

@Injectable()
class Misspelt {
  @OnAmiEvent('Hangup', { connection: 'pbx-2' })
  onHangup() {}

  @OnAmiConnected({ connection: 'pbx-3' })
  onConnected() {}
}

const ORPHAN_WARNINGS = [
  'AMI: Misspelt.onHangup listens to the connection "pbx-2", which no AmiModule registers: it will never run',
  'AMI: Misspelt.onConnected listens to the connection "pbx-3", which no AmiModule registers: it will never run',
];

async function twoConnections(
  logger: RecordingLogger,
  providers: Array<new (...args: never[]) => unknown>,
  pbx2First = false,
) {
  const imports = [AmiTestingModule.forRoot({ logger }), AmiTestingModule.forRoot({ name: 'pbx2', logger })];
  const moduleRef = await Test.createTestingModule({
    // The import order is the order Nest bootstraps the two connections in.
    imports: pbx2First ? imports.reverse() : imports,
    providers,
  }).compile();
  return moduleRef.init();
}

function dispatcherOf(app: INestApplicationContext, connection?: string) {
  return app.get<AmiService>(getAmiServiceToken(connection) as never, { strict: false })[SERVICE_DISPATCHER];
}

describe('one explorer for the application', () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
    seen.length = 0;
    await app?.close();
    app = undefined;
  });

  it.each([
    ['the default connection', false],
    ['pbx2', true],
  ])(
    'scans the providers once for two connections and gives each its own handlers (%s bootstrapped first)',
    async (_, pbx2First) => {
      const getProviders = jest.spyOn(DiscoveryService.prototype, 'getProviders');
      const getControllers = jest.spyOn(DiscoveryService.prototype, 'getControllers');
      app = await twoConnections(new RecordingLogger(), [TwoConnectionListener], pbx2First);
      expect(getProviders).toHaveBeenCalledTimes(1);
      expect(getControllers).toHaveBeenCalledTimes(1);
      expect(app.get(AmiExplorer, { strict: false })).toBeInstanceOf(AmiExplorer);

      // Named handlers and lifecycle handlers: one on default, two names plus one lifecycle on pbx2.
      expect(dispatcherOf(app).handlerCount).toBe(1);
      expect(dispatcherOf(app, 'pbx2').handlerCount).toBe(3);
      await AmiTesting.get(app, 'pbx2').emit({ Event: 'hangup', Channel: 'a' });
      await AmiTesting.get(app, 'pbx2').emit({ Event: 'NEWCHANNEL', Channel: 'b' });
      await AmiTesting.get(app).emit({ Event: 'Newchannel', Channel: 'c' });
      await AmiTesting.get(app).emit({ Event: 'Hangup', Channel: 'd' });
      await AmiTesting.get(app, 'pbx2').connected();
      expect(await AmiTesting.get(app).connected()).toEqual({ handlers: 0 });
      expect(seen).toEqual([
        'pbx2-hangup:a:pbx2',
        'pbx2-NEWCHANNEL:b:pbx2',
        'default-hangup:d:default',
        'pbx2-connected:pbx2',
      ]);
    },
  );
});

describe('handler registrations', () => {
  it("carry the decorator's options object whole, so an option the explorer does not know reaches the dispatcher", async () => {
    const addEventHandler = jest.spyOn(AmiDispatcher.prototype, 'addEventHandler');
    const addLifecycleHandler = jest.spyOn(AmiDispatcher.prototype, 'addLifecycleHandler');
    const app = await twoConnections(new RecordingLogger(), [TwoConnectionListener]);
    await app.close();
    const [pbx2Events] = getAmiEventHandlerMetadata(TwoConnectionListener.prototype.onPbx2);
    const [pbx2Connected] = getAmiLifecycleHandlerMetadata(TwoConnectionListener.prototype.onPbx2Connected);
    const registration = addEventHandler.mock.calls
      .map(([added]) => added)
      .find((added) => added.methodName === 'onPbx2');
    expect(registration?.options).toBe(pbx2Events.options);
    expect(registration?.events).toEqual(['Hangup', 'Newchannel']);
    expect(addLifecycleHandler.mock.calls.map(([added]) => added.options)).toEqual([pbx2Connected.options]);
    expect(addLifecycleHandler.mock.calls[0][0].options).toBe(pbx2Connected.options);
    jest.restoreAllMocks();
  });
});

describe('handlers naming a connection nobody registers', () => {
  it('are warned about once per handler, with two connections registered', async () => {
    const logger = new RecordingLogger();
    const app = await twoConnections(logger, [Misspelt]);
    await app.close();
    expect(logger.messages('warn')).toEqual(ORPHAN_WARNINGS);
  });

  it('are warned about by each application created in the process: nothing is remembered between them', async () => {
    const first = new RecordingLogger();
    const second = new RecordingLogger();
    const apps = [await twoConnections(first, [Misspelt]), await twoConnections(second, [Misspelt])];
    await Promise.all(apps.map((app) => app.close()));
    expect(first.messages('warn')).toEqual(ORPHAN_WARNINGS);
    expect(second.messages('warn')).toEqual(ORPHAN_WARNINGS);
  });
});
