import { randomBytes } from 'node:crypto';
import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  type AmiEventGapEvent,
  AmiModule,
  type AmiModuleOptions,
  AmiService,
  OnAmiEventGap,
} from '../../../lib/nest/index.js';
import { localCall } from '../../e2e/calls/support/tracked.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';
import { recordingLogger } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';
import { waitFor } from '../support/stream-reader.js';

// In cluster mode a replica's tracker reads the call's events from the Redis stream (the every reader),
// while its own session brings the OriginateResponse: the two arrive in any order.
@Injectable()
class Gaps {
  readonly seen: AmiEventGapEvent[] = [];
  @OnAmiEventGap()
  onGap(gap: AmiEventGapEvent) {
    this.seen.push(gap);
  }
}

interface App {
  app: INestApplication;
  ami: AmiService;
  gaps: Gaps;
}

async function startApp(group: string): Promise<App> {
  const options: AmiModuleOptions = {
    host: asterisk.host,
    port: asterisk.port,
    username: asterisk.username,
    secret: asterisk.secret,
    logger: recordingLogger().logger,
    cluster: { redis: redisTarget.url, group, leaseTtl: 1_500 },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [AmiModule.forRoot(options)],
    providers: [Gaps],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, ami: app.get(AmiService), gaps: app.get(Gaps) };
}

describe('AmiService.calls in cluster mode', () => {
  const apps: App[] = [];
  afterAll(() => Promise.all(apps.map(({ app }) => app.close())));

  it('reports the outcome of calls a follower originates, from the events of the stream', async () => {
    const group = `calls-${randomBytes(4).toString('hex')}`;
    const leader = await startApp(group);
    apps.push(leader);
    await waitFor('the first app to lead', async () =>
      leader.ami.cluster?.role === 'leader' && leader.gaps.seen.length > 0 ? true : undefined,
    );
    const follower = await startApp(group);
    apps.push(follower);
    expect(follower.ami.cluster?.role).toBe('follower');
    const calls = follower.ami.calls;
    const placed = [
      { call: calls.originate(localCall('talk')), outcome: 'answered', cause: '16' },
      { call: calls.originate(localCall('busy')), outcome: 'busy', cause: '17' },
      { call: calls.originate(localCall('congestion')), outcome: 'failed', cause: '34' },
      { call: calls.originate(localCall('noanswer', { Timeout: 1_500 })), outcome: 'noAnswer', cause: '19' },
    ];
    for (const { call, outcome, cause } of placed) {
      expect(await call.finished).toMatchObject({ uniqueid: call.uniqueid, outcome, cause });
    }
    expect(calls.size).toBe(0);
  }, 60_000);
});
