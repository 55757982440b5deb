import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  type AmiLifecycleEvent,
  AmiService,
  OnAmiConnected,
  OnAmiDisconnected,
  OnAmiEvent,
  OnAmiReconnecting,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { itWithRig, rig } from '../support/asterisk-target.js';
import { amiFromConfig, hangupsOf, shortCall, waitFor } from './support/nest-fixtures.js';

@Injectable()
class ConnectionWatcher {
  readonly lifecycle: AmiLifecycleEvent[] = [];
  readonly hangups: AmiEvent[] = [];

  @OnAmiConnected()
  @OnAmiDisconnected()
  @OnAmiReconnecting()
  onLifecycle(event: AmiLifecycleEvent) {
    this.lifecycle.push(event);
  }

  @OnAmiEvent('Hangup')
  onHangup(event: AmiEvent) {
    this.hangups.push(event);
  }
}

describe('an Asterisk restart under a Nest app', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  itWithRig(
    'is seen by the lifecycle handlers, and Hangup handlers get events again after the reconnection',
    async () => {
      const moduleRef = await Test.createTestingModule({
        imports: amiFromConfig({ reconnect: { initialDelay: 200, maxDelay: 1_000 } }),
        providers: [ConnectionWatcher],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      const watcher = app.get(ConnectionWatcher);
      const ami = app.get(AmiService);
      expect(watcher.lifecycle).toEqual([
        { kind: 'connected', connection: 'default', amiVersion: ami.amiVersion, reconnected: false },
      ]);

      await rig('restart');
      await waitFor(
        () => watcher.lifecycle.some((event) => event.kind === 'connected' && event.reconnected),
        'the reconnection',
        60_000,
      );
      const kinds = watcher.lifecycle.map((event) => event.kind);
      expect(kinds[0]).toBe('connected');
      expect(kinds[1]).toBe('disconnected');
      expect(kinds[2]).toBe('reconnecting');
      expect(kinds[kinds.length - 1]).toBe('connected');
      expect(kinds.slice(2, -1).every((kind) => kind === 'reconnecting')).toBe(true);
      expect(watcher.lifecycle[1]).toMatchObject({ kind: 'disconnected', willReconnect: true });
      expect(watcher.lifecycle[2]).toMatchObject({ kind: 'reconnecting', attempt: 1 });

      const base = await shortCall(ami);
      await waitFor(() => hangupsOf(watcher.hangups, base).length === 2, 'the Hangups after the restart');
    },
    90_000,
  );
});
