import { randomBytes } from 'node:crypto';
import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiClient } from '../../../lib/client/ami-client.js';
import { type AmiEventMeta, AmiModule, AmiService, OnAmiEvent } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';
import { amiOptions, recordingLogger } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';
import { waitFor } from '../support/stream-reader.js';

// A `once` handler that never settles on one event must not hold its consumer forever: past
// handlerTimeout the delivery counts as failed (retried, then dead-lettered), and the next events are
// handled. Real Redis, real Asterisk 22 (the events are UserEvents sent on another AMI session).
const PROBE = 'HandlerTimeoutProbe';

@Injectable()
class Stuck {
  readonly started: Array<{ marker: string; meta: AmiEventMeta }> = [];

  @OnAmiEvent('UserEvent', { filter: (event) => event.UserEvent === PROBE })
  onProbe(event: AmiEvent, meta: AmiEventMeta): Promise<void> | undefined {
    this.started.push({ marker: String(event.Marker), meta });
    return event.Marker === 'stuck' ? new Promise<void>(() => undefined) : undefined;
  }
}

let app: INestApplication | undefined;
const sender = new AmiClient({ ...amiOptions(), reconnect: false });

beforeAll(() => sender.connect());
afterAll(async () => {
  // The stuck runs never end: the shutdown's drain gives up on them after shutdownTimeout.
  await app?.close();
  await sender.disconnect();
});

it('a once handler that never settles counts as failed after handlerTimeout; the consumer moves on', async () => {
  const { lines, logger } = recordingLogger();
  const group = `timeout-${randomBytes(4).toString('hex')}`;
  const moduleRef = await Test.createTestingModule({
    imports: [
      AmiModule.forRoot({
        ...amiOptions(),
        logger,
        shutdownTimeout: 200,
        cluster: {
          redis: redisTarget.url,
          group,
          leaseTtl: 1_000,
          handlerTimeout: 300,
          claimIdle: 300,
          maxDeliveries: 2,
        },
      }),
    ],
    providers: [Stuck],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const ami = app.get(AmiService);
  const stuck = app.get(Stuck);
  await waitFor('the app to lead', async () => (ami.cluster?.role === 'leader' ? true : undefined));
  // The leader's event session is in once a probe comes back through the stream.
  await waitFor('the session relays', async () => {
    await sender.send({ Action: 'UserEvent', UserEvent: PROBE, Marker: 'warm-up' });
    return stuck.started.some((run) => run.marker === 'warm-up') ? true : undefined;
  });
  await sender.send({ Action: 'UserEvent', UserEvent: PROBE, Marker: 'stuck' });
  await sender.send({ Action: 'UserEvent', UserEvent: PROBE, Marker: 'after' });

  await waitFor('the event after the stuck one', async () =>
    stuck.started.some((run) => run.marker === 'after') ? true : undefined,
  );
  await waitFor('the stuck event dead-lettered', async () =>
    ami.cluster?.stats.deadLettered === 1 ? true : undefined,
  );
  const stuckRuns = stuck.started.filter((run) => run.marker === 'stuck');
  expect(stuckRuns.map((run) => run.meta.deliveryCount)).toEqual([1, 2]);
  const eventId = stuckRuns[0].meta.eventId;
  const warnings = lines.filter(
    (line) => line.level === 'warn' && line.message.includes('did not settle within 300 ms'),
  );
  expect(warnings.map((line) => line.message)).toEqual([
    `AMI default: handler Stuck.onProbe did not settle within 300 ms on UserEvent (eventId ${eventId}, once): counted as failed`,
    `AMI default: handler Stuck.onProbe did not settle within 300 ms on UserEvent (eventId ${eventId}, once): counted as failed`,
  ]);
  for (const line of lines) expect(line.message).not.toContain(asterisk.secret);
}, 60_000);
