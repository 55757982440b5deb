import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiAuthenticationError } from '../../../lib/errors/ami-errors.js';
import {
  type AmiLoginFailedEvent,
  AmiService,
  OnAmiEvent,
  OnAmiLoginFailed,
} from '../../../lib/nest/index.js';
import { asterisk, itWithRig } from '../support/asterisk-target.js';
import { amiFromConfig, sessionsOf, shortCall, waitFor } from './support/nest-fixtures.js';

@Injectable()
class SlowHangupHandler {
  started = 0;
  finished = 0;

  @OnAmiEvent('Hangup')
  async onHangup() {
    this.started += 1;
    // Long enough that app.close() is surely called while this runs.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    this.finished += 1;
  }
}

@Injectable()
class LoginFailureWatcher {
  readonly failures: AmiLoginFailedEvent[] = [];

  @OnAmiLoginFailed()
  onLoginFailed(event: AmiLoginFailedEvent) {
    this.failures.push(event);
  }
}

function appWith(secret: string) {
  return Test.createTestingModule({
    imports: amiFromConfig({ reconnect: { initialDelay: 50 } }, { AMI_SECRET: secret }),
    providers: [SlowHangupHandler, LoginFailureWatcher],
  }).compile();
}

describe('Nest app shutdown and bootstrap failures on the real Asterisk 22', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  itWithRig(
    'app.close() waits for running handlers, logs off, and Asterisk no longer lists the session',
    async () => {
      const before = await sessionsOf(asterisk.username);
      app = (await appWith(asterisk.secret)).createNestApplication({ logger: false });
      await app.init();
      // A session an earlier test logged off may still be on Asterisk's list for a moment.
      let during = await sessionsOf(asterisk.username);
      for (let tries = 0; during !== before + 1 && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        during = await sessionsOf(asterisk.username);
      }
      expect(during).toBe(before + 1);
      const handler = app.get(SlowHangupHandler);
      const ami = app.get(AmiService);
      await shortCall(ami);
      await waitFor(() => handler.started > 0, 'a Hangup handler to start');
      expect(handler.finished).toBeLessThan(handler.started);
      await app.close();
      app = undefined;
      expect(handler.finished).toBe(handler.started);
      expect(ami.state).toBe('disconnected');
      expect(ami.client.willReconnect).toBe(false);
      let sessions = await sessionsOf(asterisk.username);
      for (let tries = 0; sessions !== before && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sessions = await sessionsOf(asterisk.username);
      }
      expect(sessions).toBe(before);
    },
    30_000,
  );

  it('fails the bootstrap with AmiAuthenticationError after one login attempt on a bad password', async () => {
    const moduleRef = await appWith('not-the-secret');
    app = moduleRef.createNestApplication({ logger: false });
    const ami = app.get(AmiService);
    let attempts = 0;
    ami.client.on('connect', () => {
      attempts += 1;
    });
    await expect(app.init()).rejects.toBeInstanceOf(AmiAuthenticationError);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBe(1);
    expect(ami.state).toBe('disconnected');
    expect(ami.client.willReconnect).toBe(false);
    const failures = app.get(LoginFailureWatcher).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'loginFailed', connection: 'default' });
    expect(failures[0].error).toBeInstanceOf(AmiAuthenticationError);
    expect(failures[0].error.message).not.toContain('not-the-secret');
  }, 30_000);
});
