import { randomBytes } from 'node:crypto';
import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AmiDelivery } from '../../../lib/cluster/cluster.types.js';
import { type AmiEventMeta, AmiModule, AmiService, AmiTesting, OnAmiEvent } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { amiOptions } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';

// AmiTesting.emit on an app in cluster mode (real Redis, real Asterisk: the app is the real thing): in a
// test there is one process, so an emitted event reaches the handlers of every delivery mode.
const PROBE = 'TestingEmitProbe';

@Injectable()
class Modes {
  readonly seen: Array<{ handler: string; meta: AmiEventMeta }> = [];

  @OnAmiEvent('UserEvent', { filter: (event) => event.UserEvent === PROBE })
  byDefault(_event: AmiEvent, meta: AmiEventMeta) {
    this.seen.push({ handler: 'default', meta });
  }

  @OnAmiEvent('UserEvent', { delivery: 'every', filter: (event) => event.UserEvent === PROBE })
  onEvery(_event: AmiEvent, meta: AmiEventMeta) {
    this.seen.push({ handler: 'every', meta });
  }

  @OnAmiEvent('UserEvent', { delivery: 'leader', filter: (event) => event.UserEvent === PROBE })
  async onLeader(_event: AmiEvent, meta: AmiEventMeta) {
    await Promise.resolve();
    this.seen.push({ handler: 'leader', meta });
  }
}

let app: INestApplication | undefined;
afterAll(() => app?.close());

it('AmiTesting.emit in cluster mode reaches once, every and leader handlers, each with its delivery', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AmiModule.forRoot({
        ...amiOptions(),
        cluster: { redis: redisTarget.url, group: `emit-${randomBytes(4).toString('hex')}` },
      }),
    ],
    providers: [Modes],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  expect(app.get(AmiService).cluster).not.toBeNull();
  const modes = app.get(Modes);
  const observed: string[] = [];
  const subscription = app
    .get(AmiService)
    .events('UserEvent')
    .subscribe((event) => observed.push(String(event.UserEvent)));

  const result = await AmiTesting.get(app).emit(
    { Event: 'UserEvent', UserEvent: PROBE },
    { eventId: '1700000000000-7', deliveryCount: 2 },
  );
  subscription.unsubscribe();
  expect(result.handlers).toBe(3);
  const byHandler = Object.fromEntries(modes.seen.map(({ handler, meta }) => [handler, meta]));
  expect(Object.keys(byHandler).sort()).toEqual(['default', 'every', 'leader']);
  const expected = (delivery: AmiDelivery) => ({
    connection: 'default',
    fromAction: false,
    eventId: '1700000000000-7',
    deliveryCount: 2,
    delivery,
  });
  expect(byHandler.default).toEqual(expected('once'));
  expect(byHandler.every).toEqual(expected('every'));
  expect(byHandler.leader).toEqual(expected('leader'));
  expect(observed).toEqual([PROBE]);

  // Without options: a new event ID per emit, delivery count 1.
  modes.seen.length = 0;
  await AmiTesting.get(app).emit({ Event: 'UserEvent', UserEvent: PROBE });
  await AmiTesting.get(app).emit({ Event: 'UserEvent', UserEvent: PROBE });
  const ids = new Set(modes.seen.map(({ meta }) => meta.eventId));
  expect(ids.size).toBe(2);
  expect(modes.seen.every(({ meta }) => meta.deliveryCount === 1)).toBe(true);
}, 30_000);
