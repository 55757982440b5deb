import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type AmiUserEvent, defineAmiUserEvent } from '../../../lib/client.js';
import { AmiService, OnAmiEvent, OnAmiUserEvent } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { amiFromConfig, hangupsOf, shortCall, waitFor } from '../nest/support/nest-fixtures.js';
import { asterisk } from '../support/asterisk-target.js';
import { auditedLogging } from '../support/log-audit.js';
import { CountingProxy } from './support/counting-proxy.js';

type Callback = { Number: string };
const CallbackRequested = defineAmiUserEvent<Callback>('CallbackRequested');

@Injectable()
class CallHandlers {
  readonly hangups: AmiEvent[] = [];
  readonly callbacks: AmiUserEvent<Callback>[] = [];

  @OnAmiEvent('Hangup')
  onHangup(event: AmiEvent) {
    this.hangups.push(event);
  }

  @OnAmiUserEvent(CallbackRequested)
  onCallback(event: AmiUserEvent<Callback>) {
    this.callbacks.push(event);
  }
}

@Injectable()
class EverythingHandler {
  readonly seen: string[] = [];

  @OnAmiEvent('*')
  onAny(event: AmiEvent) {
    this.seen.push(event.Event);
  }
}

async function start(providers: Array<typeof CallHandlers | typeof EverythingHandler>, proxy: CountingProxy) {
  const warnings: string[] = [];
  const audited = auditedLogging().logger;
  const logger = {
    ...audited,
    warn: (line: string) => {
      warnings.push(line);
      audited.warn(line);
    },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [...amiFromConfig({ eventFilter: 'handled', logger }, { AMI_PORT: String(proxy.port) })],
    providers,
  }).compile();
  const app = await moduleRef.createNestApplication({ logger: false }).init();
  return { app, warnings, ami: app.get(AmiService) };
}

describe("AmiModule eventFilter: 'handled' on Asterisk 22", () => {
  let app: INestApplication | undefined;
  let proxy: CountingProxy | undefined;
  afterEach(async () => {
    await app?.close();
    await proxy?.close();
  });

  it('Asterisk sends only what the handlers use (and our OriginateResponse); handlers get them, typed', async () => {
    proxy = await CountingProxy.start(asterisk.host, asterisk.port);
    const started = await start([CallHandlers], proxy);
    app = started.app;
    const handlers = app.get(CallHandlers);
    const base = await shortCall(started.ami);
    await waitFor(() => hangupsOf(handlers.hangups, base).length === 2, 'both Hangups of the call');
    await started.ami.userEvent(CallbackRequested, { Number: '200' });
    await waitFor(() => handlers.callbacks.length === 1, 'the CallbackRequested UserEvent');
    expect(handlers.callbacks[0].Number).toBe('200');
    expect([...proxy.events.keys()].sort()).toEqual(['Hangup', 'OriginateResponse', 'UserEvent']);
    expect(proxy.events.get('OriginateResponse')).toBe(1);
    expect(started.warnings).toEqual([]);
  }, 30_000);

  it("a '*' handler wants every event: no filter, one warning", async () => {
    proxy = await CountingProxy.start(asterisk.host, asterisk.port);
    const started = await start([CallHandlers, EverythingHandler], proxy);
    app = started.app;
    const base = await shortCall(started.ami);
    await waitFor(() => hangupsOf(app?.get(CallHandlers).hangups ?? [], base).length === 2, 'both Hangups');
    expect(proxy.events.get('Newchannel')).toBeGreaterThanOrEqual(2);
    expect(app.get(EverythingHandler).seen).toContain('Newchannel');
    expect(
      started.warnings.filter((line) => line.includes("eventFilter 'handled' installs no filter")),
    ).toHaveLength(1);
  }, 30_000);
});
