import { AmiCallTracker, AmiClient, liveSourceOf } from '../../../lib/client.js';
import { FaultProxy } from '../../chaos/support/fault-proxy.js';
import { asterisk, credentials } from '../support/asterisk-target.js';
import { nextEvent, nextLifecycle } from '../support/wait-for.js';
import { localCall } from './support/tracked.js';

// The tracker's client goes through a proxy that can cut it; an observer session sees the real call.
describe('AmiCallTracker across a reconnection', () => {
  let proxy: FaultProxy;
  let client: AmiClient;
  let tracker: AmiCallTracker;
  const observer = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });

  beforeAll(async () => {
    proxy = await FaultProxy.start({ host: asterisk.host, port: asterisk.port });
    client = new AmiClient({
      ...credentials(),
      port: proxy.port,
      reconnect: {
        initialDelay: 50,
        maxDelay: 200,
        factor: 2,
        jitter: 0,
        maxAttempts: Number.POSITIVE_INFINITY,
      },
      keepAlive: { interval: 200, maxMissed: 1 },
    });
    tracker = new AmiCallTracker(liveSourceOf(client));
    await Promise.all([client.connect(), observer.connect()]);
    tracker.start();
  });
  afterAll(async () => {
    tracker.stop();
    await Promise.all([client.disconnect(), observer.disconnect()]);
    await proxy.close();
  });

  it('rejects with AmiCallLostError a call that ended while disconnected, at the next login', async () => {
    const call = tracker.originate(localCall('talk', { Variable: 'CALL_SECONDS=1' }));
    const answered = new Promise<void>((resolve) =>
      call.progress$.subscribe((progress) => progress.kind === 'answered' && resolve()),
    );
    await answered;
    const ended = nextEvent(observer, 'Hangup', (event) => event.Uniqueid === call.uniqueid);
    // Every login is cut until the call is over on Asterisk: its Hangups never reach the tracker.
    proxy.cutLogins(Number.MAX_SAFE_INTEGER);
    await proxy.cut({ reset: true });
    await ended;
    proxy.cutLogins(0);
    await expect(call.finished).rejects.toMatchObject({ name: 'AmiCallLostError', uniqueid: call.uniqueid });
    expect(tracker.size).toBe(0);
  }, 30_000);

  it('keeps following a call still up after the reconnection, to its real end', async () => {
    const call = tracker.originate(localCall('talk', { Variable: 'CALL_SECONDS=3' }));
    await new Promise<void>((resolve) =>
      call.progress$.subscribe((progress) => progress.kind === 'answered' && resolve()),
    );
    const login = nextLifecycle(client, 'login');
    await proxy.cut({ reset: true });
    await login;
    const summary = await call.finished;
    expect(summary).toMatchObject({ uniqueid: call.uniqueid, outcome: 'answered', cause: '16' });
    expect(summary.talkTimeMs).toBeGreaterThanOrEqual(2_500);
    expect(tracker.size).toBe(0);
  }, 30_000);
});
