import type {
  AmiDialBeginEvent,
  AmiDialEndEvent,
  AmiEvent,
  AmiHangupEvent,
  AmiNewchannelEvent,
  AmiNewstateEvent,
} from '../../../lib/index.js';
import { CallTracker } from '../../../sample/calls/call-tracker.js';
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

function feed(tracker: CallTracker, event: AmiEvent): FinishedCall | null {
  switch (event.Event) {
    case 'Newchannel':
      return tracker.newChannel(event as AmiNewchannelEvent) ?? null;
    case 'Newstate':
      return tracker.newState(event as AmiNewstateEvent) ?? null;
    case 'DialBegin':
      return tracker.dialBegin(event as AmiDialBeginEvent) ?? null;
    case 'DialEnd':
      return tracker.dialEnd(event as AmiDialEndEvent) ?? null;
    case 'Hangup':
      return tracker.hangup(event as AmiHangupEvent);
    default:
      throw new Error(`no fixture handling for ${event.Event}`);
  }
}

/** Feeds the events at their times (ms after 0) and returns the calls their Hangups finished. */
function play(
  tracker: CallTracker,
  clock: { now: number },
  events: Array<[number, AmiEvent]>,
): FinishedCall[] {
  const finished: FinishedCall[] = [];
  for (const [at, event] of events) {
    clock.now = at;
    const call = feed(tracker, event);
    if (call !== null) finished.push(call);
  }
  return finished;
}

describe('CallTracker', () => {
  let clock: { now: number };
  let tracker: CallTracker;
  beforeEach(() => {
    clock = { now: 0 };
    tracker = new CallTracker(() => clock.now);
  });

  it('finishes a call when its last channel hangs up: caller, callee, times and cause', () => {
    const finished = play(tracker, clock, originatedCall);
    expect(finished).toEqual([
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
    expect(tracker.inProgress).toBe(0);
  });

  it('follows no call whose first channel it did not see', () => {
    const finished = play(tracker, clock, originatedCall.slice(1));
    expect(finished).toEqual([]);
    expect(tracker.inProgress).toBe(0);
  });

  it('keeps the cause of the channel that hung up first, and the channel name when no caller ID is known', () => {
    const anonymous = { CallerIDNum: '<unknown>' };
    const finished = play(tracker, clock, [
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
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({
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

  it('forgets, after a resync, the calls whose channels are all gone', () => {
    play(tracker, clock, originatedCall.slice(0, 6));
    expect(tracker.inProgress).toBe(1);
    expect(tracker.retainLive(new Set(['1795359798.1']))).toBe(0);
    expect(tracker.inProgress).toBe(1);
    expect(tracker.retainLive(new Set())).toBe(1);
    expect(tracker.inProgress).toBe(0);
  });
});
