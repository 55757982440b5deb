import { once } from 'node:events';
import { connect } from 'node:net';
import { jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AgiCall,
  AmiAgiModule,
  AmiAgiService,
  AmiModule,
  AmiService,
  OnAgi,
} from '../../../lib/index.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

jest.setTimeout(60_000);

@Injectable()
class MainMenu {
  readonly seen: string[] = [];

  @OnAgi(['nest-menu', 'nest-menu-alias'])
  async run(call: AgiCall) {
    await call.answer();
    await call.setVariable('NEST_AGI', `${call.script}:${call.env.request === 'async' ? 'async' : 'fast'}`);
    this.seen.push(call.script);
  }

  @OnAgi('nest-throws')
  async fails(call: AgiCall) {
    await call.answer();
    throw new Error('handler bug');
  }
}

@Module({
  imports: [
    AmiModule.forRoot({ ...credentials(), keepAlive: false }),
    AmiAgiModule.forRoot({ fastAgi: { port: 0 } }),
  ],
  providers: [MainMenu],
})
class IvrModule {}

describe('@OnAgi in a Nest app on the real Asterisk', () => {
  let app: INestApplicationContext;
  let ami: AmiService;
  let port: number;
  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(IvrModule, { logger: false });
    await app.init();
    ami = app.get(AmiService);
    port = app.get(AmiAgiService).fastAgiServer?.port ?? 0;
  });
  afterAll(() => app?.close());

  const start = (mode: 'fast' | 'async', script: string) =>
    ami.originate({
      Channel: `Local/${mode}@agi`,
      Application: 'Wait',
      Data: '30',
      Variable: `AGI_PORT=${port},AGI_SCRIPT=${script},AGI_ARG=`,
    });

  it.each(['fast', 'async'] as const)('routes %s sessions to the decorated method', async (mode) => {
    const after = nextEvent(
      ami.client,
      'VarSet',
      (event) => event.Variable === 'AGI_AFTER' && String(event.Channel).startsWith(`Local/${mode}@agi`),
    );
    await start(mode, 'nest-menu-alias');
    const channel = String((await after).Channel);
    const value = await ami.send({ Action: 'Getvar', Channel: channel, Variable: 'NEST_AGI' });
    expect(value.Value).toBe(`nest-menu-alias:${mode}`);
    await ami.send({ Action: 'Hangup', Channel: channel });
  });

  it('hangs up the channel of a handler that throws, and the app lives on', async () => {
    const origin = await start('async', 'nest-throws');
    const agiLeg = String(origin.Channel).replace(/;1$/, ';2');
    const hangup = nextEvent(ami.client, 'Hangup', (event) => event.Channel === agiLeg);
    await hangup;
    const service = app.get(AmiAgiService);
    while (service.activeSessionCount > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.activeSessionCount).toBe(0);
    expect(ami.isConnected).toBe(true);
  });

  it('stops the FastAGI server with the app', async () => {
    await app.close();
    const socket = connect(port, '127.0.0.1');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});
