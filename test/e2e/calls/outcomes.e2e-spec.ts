import { AmiCallTracker, AmiClient, liveSourceOf } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { localCall, progressKinds } from './support/tracked.js';

// Each outcome of a real call on Asterisk 22 (test/asterisk/etc/extensions.conf, context `calls`).
describe('AmiCallTracker.originate on the real Asterisk', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  const tracker = new AmiCallTracker(liveSourceOf(client));

  beforeAll(async () => {
    await client.connect();
    tracker.start();
  });
  afterAll(async () => {
    tracker.stop();
    await client.disconnect();
  });

  it('reports an answered call with its talk time and normal clearing', async () => {
    const call = tracker.originate(localCall('talk', { Variable: 'CALL_SECONDS=2' }));
    const summary = await call.finished;
    expect(summary).toMatchObject({
      uniqueid: call.uniqueid,
      linkedid: call.uniqueid,
      from: '1001',
      to: 'talk@calls',
      outcome: 'answered',
      cause: '16',
      causeTxt: 'Normal Clearing',
    });
    expect(summary.channel).toMatch(/^Local\/talk@calls-[0-9a-f]+;1$/);
    expect(await progressKinds(call)).toEqual(['dialing', 'answered', 'hangup']);
    // Wait(2) in the dialplan between the answer and the hangup.
    expect(summary.talkTimeMs).toBeGreaterThanOrEqual(1_900);
    expect(summary.durationMs).toBeGreaterThanOrEqual(summary.talkTimeMs);
    expect(summary.answeredAt).toBe(summary.endedAt - summary.talkTimeMs);
    expect(tracker.size).toBe(0);
  }, 20_000);

  it.each([
    { exten: 'busy', outcome: 'busy', cause: '17', causeTxt: 'User busy' },
    { exten: 'congestion', outcome: 'failed', cause: '34', causeTxt: 'Circuit/channel congestion' },
    { exten: 'reject', outcome: 'failed', cause: '21', causeTxt: 'Call Rejected' },
  ])(
    'reports $exten as $outcome, cause $cause',
    async ({ exten, outcome, cause, causeTxt }) => {
      const call = tracker.originate(localCall(exten));
      const summary = await call.finished;
      expect(summary).toMatchObject({ outcome, cause, causeTxt, talkTimeMs: 0, to: `${exten}@calls` });
      expect(summary.answeredAt).toBeUndefined();
      const progress: { kind: string; cause?: string; causeTxt?: string }[] = [];
      call.progress$.subscribe((item) => progress.push(item));
      expect(progress.map((item) => item.kind)).toEqual(['dialing', outcome, 'hangup']);
      expect(progress[1]).toMatchObject({ cause, causeTxt });
    },
    20_000,
  );

  it('reports a call that rings until the Originate timeout as noAnswer', async () => {
    const call = tracker.originate(localCall('noanswer', { Timeout: 1_500 }));
    const summary = await call.finished;
    expect(summary).toMatchObject({ outcome: 'noAnswer', cause: '19', causeTxt: 'User alerting, no answer' });
    expect(await progressKinds(call)).toEqual(['dialing', 'ringing', 'noAnswer', 'hangup']);
    expect(summary.durationMs).toBeGreaterThanOrEqual(1_400);
  }, 20_000);

  it.each([
    { cause: '16', causeTxt: 'Normal Clearing' },
    { cause: '17', causeTxt: 'User busy' },
    { cause: '21', causeTxt: 'Call Rejected' },
  ])(
    'reports the hangup cause $cause of an answered call',
    async ({ cause, causeTxt }) => {
      const call = tracker.originate(localCall('cause', { Variable: `CAUSE=${cause}` }));
      const summary = await call.finished;
      expect(summary).toMatchObject({ outcome: 'answered', cause, causeTxt });
      expect(summary.talkTimeMs).toBeGreaterThan(0);
    },
    20_000,
  );

  it('follows a call that dials on: answered when the far end answers, over when all four channels hang up', async () => {
    const call = tracker.originate(localCall('dial', { Variable: 'DIAL_TO=talk' }));
    const summary = await call.finished;
    expect(summary).toMatchObject({ outcome: 'answered', cause: '16' });
    expect(await progressKinds(call)).toEqual(['dialing', 'answered', 'hangup']);
  }, 20_000);

  it('reports a busy far end behind a Dial as busy', async () => {
    const call = tracker.originate(localCall('dial', { Variable: 'DIAL_TO=busy' }));
    const summary = await call.finished;
    expect(summary).toMatchObject({ outcome: 'busy', cause: '17', causeTxt: 'User busy' });
  }, 20_000);

  it.each([
    { what: 'no such extension for the Local channel', channel: 'Local/missing-exten@calls' },
    { what: 'no such channel technology', channel: 'NoSuchTech/x' },
  ])(
    'reports an Originate that gets no channel at all ($what) as failed, without waiting',
    async ({ channel }) => {
      const call = tracker.originate({ ...localCall('talk'), Channel: channel });
      const summary = await call.finished;
      expect(summary).toMatchObject({ outcome: 'failed', uniqueid: call.uniqueid, talkTimeMs: 0 });
      expect(await progressKinds(call)).toEqual(['dialing', 'failed', 'hangup']);
      expect(tracker.size).toBe(0);
    },
    20_000,
  );

  it('rejects with the AmiActionError when Asterisk refuses the Originate action itself', async () => {
    const call = tracker.originate({ ...localCall('talk'), Priority: 'not-a-number' });
    await expect(call.finished).rejects.toMatchObject({ name: 'AmiActionError' });
    expect(tracker.size).toBe(0);
  }, 20_000);
});
