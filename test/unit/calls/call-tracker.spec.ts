import { firstValueFrom, toArray } from 'rxjs';
import {
  type AmiCallSummary,
  AmiCallTracker,
  AmiDisconnectedError,
  type AmiEvent,
  type AmiTrackedCall,
} from '../../../lib/client.js';
import { FakeCallSource, listed } from './support/fake-source.js';
import { recordedCall } from './support/recorded-calls.js';

const kinds = async (call: AmiTrackedCall) =>
  (await firstValueFrom(call.progress$.pipe(toArray()))).map((progress) => progress.kind);

/** Plays a recorded call; at its OriginateResponse the Originate settles as well (its promise, a moment later). */
function play(source: FakeCallSource, events: AmiEvent[]): void {
  const originate = source.originates.at(-1);
  for (const event of events) {
    source.emit(event);
    if (event.Event !== 'OriginateResponse' || originate === undefined) continue;
    if (event.Response === 'Success') originate.succeed(String(event.Reason));
    else originate.fail(String(event.Reason));
  }
}

describe('AmiCallTracker, from calls recorded on Asterisk 22', () => {
  let source: FakeCallSource;
  let tracker: AmiCallTracker;
  let clock: number;
  beforeEach(() => {
    source = new FakeCallSource();
    clock = 1_000;
    tracker = new AmiCallTracker(source, { now: () => clock, originateGraceMs: 10 });
    tracker.start();
  });
  afterEach(() => tracker.stop());

  it('originates with a ChannelId of its own, and an OtherChannelId for a Local channel only', () => {
    tracker.originate({ Channel: 'Local/talk@calls', Context: 'calls', Exten: 'park', Priority: 1 });
    tracker.originate({ Channel: 'PJSIP/alice', Context: 'calls', Exten: 'park', Priority: 1 });
    tracker.originate({
      Channel: 'Local/x@calls',
      Exten: 'park',
      ChannelId: 'mine',
      OtherChannelId: 'other',
    });
    const [local, pjsip, given] = source.originates.map((originate) => originate.params);
    expect(local?.ChannelId).toMatch(/^call-[0-9a-f-]{36}$/);
    expect(local?.OtherChannelId).toBe(`${local?.ChannelId}-2`);
    expect(pjsip?.ChannelId).toMatch(/^call-/);
    expect(pjsip).not.toHaveProperty('OtherChannelId');
    expect(given).toMatchObject({ ChannelId: 'mine', OtherChannelId: 'other' });
  });

  it.each([
    { name: 'talk', outcome: 'answered', cause: '16', progress: ['dialing', 'answered', 'hangup'] },
    { name: 'busy', outcome: 'busy', cause: '17', progress: ['dialing', 'busy', 'hangup'] },
    { name: 'congestion', outcome: 'failed', cause: '34', progress: ['dialing', 'failed', 'hangup'] },
    {
      name: 'noanswer',
      outcome: 'noAnswer',
      cause: '19',
      progress: ['dialing', 'ringing', 'noAnswer', 'hangup'],
    },
    { name: 'reject', outcome: 'failed', cause: '21', progress: ['dialing', 'failed', 'hangup'] },
    { name: 'missingExtenLate', outcome: 'failed', cause: '0', progress: ['dialing', 'failed', 'hangup'] },
  ])('$name: $outcome, cause $cause', async ({ name, outcome, cause, progress }) => {
    const call = tracker.originate({ Channel: `Local/${name}@calls`, Exten: 'park' });
    play(source, recordedCall(name, call.uniqueid));
    const summary = await call.finished;
    expect(summary).toMatchObject({
      uniqueid: call.uniqueid,
      linkedid: call.uniqueid,
      outcome,
      cause,
      from: '1001',
    });
    expect(await kinds(call)).toEqual(progress);
    expect(tracker.size).toBe(0);
  });

  it('counts the talk time from the answer to the last hangup', async () => {
    const call = tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const events = recordedCall('talk', call.uniqueid);
    clock = 1_000;
    play(source, events.slice(0, 2));
    clock = 1_200;
    play(source, events.slice(2, 8));
    clock = 4_200;
    play(source, events.slice(8));
    const summary = await call.finished;
    expect(summary).toMatchObject({
      startedAt: 1_000,
      answeredAt: 1_200,
      endedAt: 4_200,
      durationMs: 3_200,
      talkTimeMs: 3_000,
    });
    expect(summary.to).toBe('talk@calls');
    expect(summary.dialStatus).toBe('ANSWER');
  });

  it('never reports a duration shorter than the talk time when the Newchannel comes after the answer', async () => {
    const call = tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const events = recordedCall('talk', call.uniqueid);
    const mainNewchannel = events[0] as AmiEvent;
    clock = 1_000;
    play(source, events.slice(1, 7)); // Answered (DialEnd ANSWER) before ;1's Newchannel arrives.
    clock = 1_007;
    play(source, [mainNewchannel]);
    clock = 3_500;
    play(source, events.slice(7));
    const summary = await call.finished;
    expect(summary).toMatchObject({
      startedAt: 1_000,
      answeredAt: 1_000,
      durationMs: 2_500,
      talkTimeMs: 2_500,
    });
    expect(summary.channel).toBe(mainNewchannel.Channel);
  });

  it('waits for the events of a call whose Originate failed first (Asterisk 22 under load, cluster mode)', async () => {
    const call = tracker.originate({ Channel: 'Local/busy@calls', Exten: 'park' });
    source.originates[0]?.fail('5');
    await Promise.resolve();
    play(
      source,
      recordedCall('busy', call.uniqueid).filter((event) => event.Event !== 'OriginateResponse'),
    );
    expect(await call.finished).toMatchObject({ outcome: 'busy', cause: '17', to: 'busy@calls' });
  });

  it('ends a failed Originate that never gets an event after originateGraceMs, as failed', async () => {
    const call = tracker.originate({ Channel: 'NoSuchTech/x', Exten: 'park' });
    source.originates[0]?.fail('0');
    expect(await call.finished).toMatchObject({ outcome: 'failed', uniqueid: call.uniqueid, channel: '' });
    expect(tracker.size).toBe(0);
  });

  it('rejects with the error of an Originate refused before any channel (not an outcome)', async () => {
    (source.actions as { isConnected: boolean }).isConnected = false;
    const call = tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const refused = new AmiDisconnectedError('Originate not sent: not connected to Asterisk', 'Originate');
    source.originates[0]?.error(refused);
    await expect(call.finished).rejects.toBe(refused);
  });

  it('with trackAll, follows every call it sees begin and keeps nothing after (1 000 calls)', async () => {
    tracker.stop();
    tracker = new AmiCallTracker(source, { trackAll: true });
    tracker.start();
    const outcomes: string[] = [];
    tracker.finished$.subscribe((summary) => outcomes.push(summary.outcome));
    const names = ['talk', 'busy', 'congestion', 'noanswer', 'reject'];
    for (let index = 0; index < 1_000; index += 1)
      source.emit(...recordedCall(names[index % 5] as string, `call-${index}`));
    expect(outcomes).toHaveLength(1_000);
    expect(outcomes.slice(0, 5)).toEqual(['answered', 'busy', 'failed', 'noAnswer', 'failed']);
    expect(tracker.size).toBe(0);
  });

  it('ignores other calls, and a call it did not see begin even with trackAll', () => {
    tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const other = recordedCall('talk', 'someone-elses');
    source.emit(...other);
    expect(tracker.size).toBe(1);
  });
});

describe('AmiCallTracker.track and resyncs', () => {
  let source: FakeCallSource;
  let tracker: AmiCallTracker;
  beforeEach(() => {
    source = new FakeCallSource();
    tracker = new AmiCallTracker(source, { now: () => 100_000 });
    tracker.start();
  });
  afterEach(() => tracker.stop());

  it('reads a call already up from the channel list: start from its age, answered', async () => {
    source.listing = [listed('up-1', 'up-1'), listed('up-1-2', 'up-1')];
    const call = tracker.track('up-1');
    await tracker.resync();
    source.emit(...recordedCall('talk', 'up-1').slice(-2));
    expect(await call.finished).toMatchObject({ outcome: 'answered', startedAt: 93_000, durationMs: 7_000 });
    expect(await kinds(call)).toEqual(['dialing', 'answered', 'hangup']);
  });

  it('gives the same call for the same id, a call of its own for another channel of it', async () => {
    source.listing = [listed('up-1', 'up-1'), listed('up-1-2', 'up-1')];
    const first = tracker.track('up-1');
    expect(tracker.track('up-1')).toBe(first);
    const second = tracker.track('up-1-2');
    await tracker.resync();
    source.emit(...recordedCall('talk', 'up-1').slice(-2));
    const [a, b] = await Promise.all([first.finished, second.finished]);
    expect(a).toMatchObject({ uniqueid: 'up-1', linkedid: 'up-1' });
    expect(b).toMatchObject({ uniqueid: 'up-1-2', linkedid: 'up-1' });
    expect(tracker.size).toBe(0);
  });

  it('rejects an id Asterisk does not have with AmiCallNotFoundError; waits while the list cannot be read', async () => {
    source.listing = null;
    const call = tracker.track('nobody');
    await tracker.resync();
    expect(tracker.size).toBe(1);
    source.listing = [];
    source.resync();
    await expect(call.finished).rejects.toMatchObject({ name: 'AmiCallNotFoundError', uniqueid: 'nobody' });
    expect(tracker.size).toBe(0);
  });

  it('rejects with AmiCallLostError a call whose channels are gone at a resync', async () => {
    const call = tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const events = recordedCall('talk', call.uniqueid);
    play(source, events.slice(0, 8));
    await Promise.resolve();
    source.listing = [];
    source.resync();
    await expect(call.finished).rejects.toMatchObject({ name: 'AmiCallLostError', uniqueid: call.uniqueid });
    expect(await kinds(call)).toEqual(['dialing', 'answered']);
    expect(tracker.size).toBe(0);
  });

  it('does not bring back a channel that hung up while the list was being read', async () => {
    const call = tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const events = recordedCall('talk', call.uniqueid);
    play(source, events.slice(0, 8));
    source.listing = [listed(call.uniqueid, call.uniqueid), listed(`${call.uniqueid}-2`, call.uniqueid)];
    source.duringListing = () => source.emit(events[8] as AmiEvent);
    await tracker.resync();
    source.duringListing = null;
    source.emit(events[9] as AmiEvent);
    expect(await call.finished).toMatchObject({ outcome: 'answered', cause: '16' });
  });

  it('stop(): tracked calls reject with AmiCallTrackerStoppedError, finished$ completes, listeners go', async () => {
    const call = tracker.originate({ Channel: 'Local/talk@calls', Exten: 'park' });
    const done = firstValueFrom(tracker.finished$.pipe(toArray()));
    tracker.stop();
    await expect(call.finished).rejects.toMatchObject({ name: 'AmiCallTrackerStoppedError' });
    expect(await done).toEqual([] as AmiCallSummary[]);
    expect(source.listenerCount).toBe(0);
    expect(() => tracker.originate({ Channel: 'Local/talk@calls' })).toThrow(/not running/);
  });
});
