import { AmiCallTracker, type AmiClient, type AmiEvent } from '../../../lib/index.js';
import { CallLogSource, finishedCall } from '../../../sample/calls/call-tracker.js';
import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import { channelSnapshot } from './support/channel-snapshot.js';

// Both halves of the call share the first half's Linkedid.
const channel = (name: string, uniqueid: string, fields: Record<string, string> = {}) =>
  channelSnapshot(name, uniqueid, { Linkedid: '1795359798.0', ...fields });
const dest = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [`Dest${name}`, value]));

const ONE = 'Local/100@test-00000000;1';
const TWO = 'Local/100@test-00000000;2';
const down = {
  ChannelState: '0',
  ChannelStateDesc: 'Down',
  CallerIDNum: '<unknown>',
  CallerIDName: '<unknown>',
};

/** An Originate of Local/100@test to answer@test with CallerID Alice <1001>, as Asterisk 22 reported it. */
const originatedCall: Array<[number, AmiEvent]> = [
  [0, { Event: 'Newchannel', ...channel(ONE, '1795359798.0', down) }],
  [
    0,
    {
      Event: 'Newchannel',
      ...channel(TWO, '1795359798.1', { ...down, ChannelState: '4', ChannelStateDesc: 'Ring' }),
    },
  ],
  [10, { Event: 'Newstate', ...channel(TWO, '1795359798.1') }],
  [10, { Event: 'DialBegin', ...dest(channel(ONE, '1795359798.0', down)), DialString: '100@test' }],
  [20, { Event: 'Newstate', ...channel(ONE, '1795359798.0') }],
  [20, { Event: 'DialEnd', ...dest(channel(ONE, '1795359798.0')), DialStatus: 'ANSWER' }],
  [
    1030,
    {
      Event: 'Hangup',
      ...channel(TWO, '1795359798.1', { Priority: '3' }),
      Cause: '16',
      'Cause-txt': 'Normal Clearing',
    },
  ],
  [
    1040,
    {
      Event: 'Hangup',
      ...channel(ONE, '1795359798.0', { Exten: 'answer' }),
      Cause: '16',
      'Cause-txt': 'Normal Clearing',
    },
  ],
];

interface Rig {
  clock: { now: number };
  source: CallLogSource;
  tracker: AmiCallTracker;
  finished: FinishedCall[];
  /** What CoreShowChannels answers at a resync. */
  listing: AmiEvent[];
}

/** The library's tracker as the call log runs it (trackAll), with a stub client that answers CoreShowChannels. */
function rig(): Rig {
  const clock = { now: 0 };
  const finished: FinishedCall[] = [];
  let listing: AmiEvent[] = [];
  const client = {
    isConnected: true,
    sendList: async () => ({ response: { Response: 'Success' }, events: listing }),
  } as unknown as AmiClient;
  const source = new CallLogSource(client);
  const tracker = new AmiCallTracker(source, { trackAll: true, now: () => clock.now });
  tracker.finished$.subscribe((summary) => finished.push(finishedCall(summary)));
  tracker.start();
  return {
    clock,
    source,
    tracker,
    finished,
    get listing() {
      return listing;
    },
    set listing(events) {
      listing = events;
    },
  };
}

/** Feeds the events at their times (ms after 0). */
function play({ clock, source }: Rig, events: Array<[number, AmiEvent]>): void {
  for (const [at, event] of events) {
    clock.now = at;
    source.deliver(event);
  }
}

describe('the call log on the library tracker (CallLogSource, finishedCall)', () => {
  let calls: Rig;
  beforeEach(() => {
    calls = rig();
  });
  afterEach(() => calls.tracker.stop());

  it('finishes a call when its last channel hangs up: caller, callee, times and cause', () => {
    play(calls, originatedCall);
    expect(calls.finished).toEqual([
      {
        id: '1795359798.0',
        caller: '1001',
        callee: '100@test',
        channel: ONE,
        dialStatus: 'ANSWER',
        startedAt: new Date(0).toISOString(),
        answeredAt: new Date(20).toISOString(),
        endedAt: new Date(1040).toISOString(),
        durationSeconds: 1,
        talkSeconds: 1,
        cause: 16,
        causeText: 'Normal Clearing',
      },
    ]);
    expect(calls.tracker.size).toBe(0);
  });

  it('follows no call whose first channel it did not see', () => {
    play(calls, originatedCall.slice(1));
    expect(calls.finished).toEqual([]);
    expect(calls.tracker.size).toBe(0);
  });

  it('keeps the first cause that says something, and the channel name when no caller ID is known', () => {
    const anonymous = { CallerIDNum: '<unknown>' };
    play(calls, [
      [0, { Event: 'Newchannel', ...channel(ONE, '1795359798.0', { ...down, Exten: '200' }) }],
      [0, { Event: 'Newchannel', ...channel(TWO, '1795359798.1', down) }],
      [
        500,
        {
          Event: 'Hangup',
          ...channel(TWO, '1795359798.1', anonymous),
          Cause: '17',
          'Cause-txt': 'User busy',
        },
      ],
      [
        600,
        {
          Event: 'Hangup',
          ...channel(ONE, '1795359798.0', anonymous),
          Cause: '16',
          'Cause-txt': 'Normal Clearing',
        },
      ],
    ]);
    expect(calls.finished).toHaveLength(1);
    expect(calls.finished[0]).toMatchObject({
      caller: ONE,
      callee: '200',
      dialStatus: null,
      answeredAt: null,
      talkSeconds: 0,
      durationSeconds: 0.6,
      cause: 17,
      causeText: 'User busy',
    });
  });

  it('forgets, after a resync, the calls whose channels are all gone, and keeps those still up', async () => {
    play(calls, originatedCall.slice(0, 6));
    expect(calls.tracker.size).toBe(1);
    calls.listing = [{ Event: 'CoreShowChannel', ...channel(TWO, '1795359798.1'), Duration: '00:00:01' }];
    calls.source.resync();
    await calls.tracker.resync();
    expect(calls.tracker.size).toBe(1);
    calls.listing = [];
    await calls.tracker.resync();
    expect(calls.tracker.size).toBe(0);
    expect(calls.finished).toEqual([]);
  });
});
