import { randomBytes } from 'node:crypto';
import { type INestApplication, Injectable, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AgiCall } from '../../../lib/agi/index.js';
import { AmiClient } from '../../../lib/client/ami-client.js';
import { AmiAgiModule, AmiAgiService, OnAgi } from '../../../lib/nest/agi/index.js';
import { AmiModule, AmiService } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { amiOptions } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';
import { waitFor } from '../support/stream-reader.js';

// Three Nest apps in cluster mode on one group, each with AsyncAGI and an @OnAgi handler. Every replica
// reads each AsyncAGIStart from the stream; the Redis claim must give each session to exactly one of them,
// whose AGI commands (sent on its own, filtered session) are answered through the stream.
const APPS = 3;
const CALLS = 10;
const SCRIPT = 'cluster-count';
const PROBE = 'AgiClusterProbe';

interface Handled {
  uniqueId: string;
  channel: string;
  readBack: string | undefined;
}

@Injectable()
class Counter {
  readonly handled: Handled[] = [];

  constructor(private readonly ami: AmiService) {}

  get replicaId(): string {
    return this.ami.cluster?.replicaId ?? '';
  }

  @OnAgi(SCRIPT)
  async run(call: AgiCall) {
    await call.answer();
    await call.setVariable('AGI_OWNER', this.replicaId);
    const readBack = await call.getVariable('AGI_OWNER');
    this.handled.push({ uniqueId: call.env.uniqueId, channel: call.channel, readBack });
  }
}

function recordingNestLogger() {
  const lines: string[] = [];
  const keep = (message: unknown) => {
    lines.push(String(message));
  };
  const logger: LoggerService = { log: () => undefined, debug: () => undefined, warn: keep, error: keep };
  return { lines, logger };
}

interface App {
  app: INestApplication;
  ami: AmiService;
  counter: Counter;
  agi: AmiAgiService;
  /** Warnings and errors the app logged. */
  lines: string[];
}

async function startApp(group: string): Promise<App> {
  const { lines, logger } = recordingNestLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AmiModule.forRoot({ ...amiOptions(), cluster: { redis: redisTarget.url, group, leaseTtl: 1_500 } }),
      AmiAgiModule.forRoot({ fastAgi: false, commandTimeout: 10_000 }),
    ],
    providers: [Counter],
  }).compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.init();
  return { app, ami: app.get(AmiService), counter: app.get(Counter), agi: app.get(AmiAgiService), lines };
}

const text = (value: AmiEvent[string]) => (Array.isArray(value) ? value[0] : value) ?? '';

describe('AsyncAGI with three Nest apps in cluster mode on one group', () => {
  const apps: App[] = [];
  let sender: AmiClient;

  beforeAll(async () => {
    sender = new AmiClient({ ...amiOptions(), reconnect: false });
    await sender.connect();
  });
  afterAll(async () => {
    await Promise.all(apps.map(({ app }) => app.close()));
    await sender.disconnect();
  });

  it('hands each session to exactly one app, answers its commands, and ends it', async () => {
    const group = `agi-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < APPS; i++) apps.push(await startApp(group));
    // Each app reads the stream (its `every` reader is up) once a probe sent now reaches its events$.
    const probed = apps.map(() => false);
    const subscriptions = apps.map(({ ami }, index) =>
      ami.events('UserEvent').subscribe((event) => {
        if (event.UserEvent === PROBE) probed[index] = true;
      }),
    );
    try {
      await waitFor('every app to read the stream', async () => {
        await sender.send({ Action: 'UserEvent', UserEvent: PROBE });
        await new Promise((resolve) => setTimeout(resolve, 200));
        return probed.every(Boolean) ? true : undefined;
      });
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
    }

    // The dialplan sets AGI_AFTER once AGI() returned: the session ended and the channel went on.
    const after = new Map<string, string>();
    const stopAfter = sender.onEvent('VarSet', (event) => {
      if (event.Variable === 'AGI_AFTER') after.set(text(event.Channel), text(event.Value));
    });
    try {
      const origins = await Promise.all(
        Array.from({ length: CALLS }, () =>
          sender.originate({
            Channel: 'Local/async@agi',
            Application: 'Wait',
            Data: '30',
            Variable: `AGI_SCRIPT=${SCRIPT},AGI_ARG=`,
          }),
        ),
      );
      const agiLegs = origins.map((origin) => text(origin.Channel).replace(/;1$/, ';2'));
      await waitFor('every session to end', async () =>
        agiLegs.every((leg) => after.has(leg)) ? true : undefined,
      );

      const handled = apps.flatMap(({ counter }) =>
        counter.handled.map((session) => ({ ...session, owner: counter.replicaId })),
      );
      expect(handled).toHaveLength(CALLS);
      expect(new Set(handled.map((session) => session.uniqueId)).size).toBe(CALLS);
      expect(handled.map((session) => session.channel).sort()).toEqual([...agiLegs].sort());
      for (const session of handled) expect(session.readBack).toBe(session.owner);
      for (const leg of agiLegs) expect(after.get(leg)).toBe('SUCCESS');
      // The variable each owner set is on the channel, seen from outside the cluster.
      for (const session of handled) {
        const value = await sender.send({
          Action: 'Getvar',
          Channel: session.channel,
          Variable: 'AGI_OWNER',
        });
        expect(value.Value).toBe(session.owner);
      }
      await waitFor('no session left', async () =>
        apps.every(({ agi }) => agi.activeSessionCount === 0) ? true : undefined,
      );
      expect(apps.flatMap(({ lines }) => lines.filter((line) => /AGI/.test(line)))).toEqual([]);
      await Promise.all(agiLegs.map((leg) => sender.send({ Action: 'Hangup', Channel: leg })));
    } finally {
      stopAfter();
    }
  }, 90_000);
});
