import { BehaviorSubject, Subject } from 'rxjs';
import type {
  AmiConnectionState,
  AmiLiveChange,
  AmiLiveChannel,
  AmiLiveSnapshot,
} from '../../../../lib/index.js';
import { wallboardFeed } from '../../../../sample/wallboard/wallboard-feed.js';
import type {
  WallboardFinishedCall,
  WallboardMessage,
} from '../../../../sample/wallboard/wallboard-message.js';

const channel = (Uniqueid: string): AmiLiveChannel => ({
  Uniqueid,
  Linkedid: Uniqueid,
  Channel: `Local/200@test-0001;${Uniqueid}`,
  ChannelState: '6',
  ChannelStateDesc: 'Up',
  CallerIDNum: '2001',
  CallerIDName: 'Sample',
  ConnectedLineNum: '',
  ConnectedLineName: '',
  Context: 'test',
  Exten: '200',
  Priority: '1',
  createdAt: 1_000,
});

const change = (id: string, entity: AmiLiveChange['entity'] = 'channel'): AmiLiveChange => ({
  entity,
  kind: 'added',
  id,
  value: channel(id),
  cause: { Event: 'Newchannel', 'Event:all': ['Newchannel'], Uniqueid: id } as never,
});

const finishedCall: WallboardFinishedCall = {
  id: 'call-1',
  from: '2001',
  to: '200',
  outcome: 'answered',
  endedAt: 5_000,
  durationMs: 4_000,
  talkTimeMs: 3_500,
  cause: '16',
  causeTxt: 'Normal Clearing',
};

function rig() {
  const liveChannels: AmiLiveChannel[] = [channel('before')];
  const changes$ = new Subject<AmiLiveChange>();
  const state$ = new BehaviorSubject<AmiConnectionState>('connected');
  const finished$ = new Subject<WallboardFinishedCall>();
  const closed$ = new Subject<void>();
  const live = {
    synced: true,
    snapshot: (): AmiLiveSnapshot => ({ at: 1, channels: liveChannels, bridges: [], calls: [], queues: [] }),
    changes$,
  };
  const connection = {
    get state() {
      return state$.value;
    },
    state$,
  };
  const log = { recent: () => [finishedCall], finished$ };
  const messages: WallboardMessage[] = [];
  let completed = false;
  const feed = wallboardFeed({ live, connection, log, now: () => 42 }, closed$);
  return {
    liveChannels,
    changes$,
    state$,
    finished$,
    closed$,
    feed,
    messages,
    isCompleted: () => completed,
    subscribe() {
      return feed.subscribe({
        next: (message) => messages.push(message),
        complete: () => {
          completed = true;
        },
      });
    },
  };
}

describe('wallboardFeed', () => {
  it('sends the snapshot first, with the connection state and the call log, then each change', () => {
    const r = rig();
    r.subscribe();
    r.changes$.next(change('after'));
    expect(r.messages.map((message) => message.type)).toEqual(['snapshot', 'change']);
    expect(r.messages[0]).toEqual({
      type: 'snapshot',
      data: {
        at: 42,
        synced: true,
        connection: 'connected',
        channels: [channel('before')],
        calls: [],
        queues: [],
        log: [finishedCall],
      },
    });
    expect(r.messages[1]).toEqual({
      type: 'change',
      data: { entity: 'channel', kind: 'added', id: 'after', value: channel('after'), at: 42, synced: true },
    });
  });

  it('takes the snapshot when a page subscribes, not when the feed is built', () => {
    const r = rig();
    r.liveChannels.push(channel('later'));
    r.subscribe();
    const first = r.messages[0] as Extract<WallboardMessage, { type: 'snapshot' }>;
    expect(first.data.channels.map((c) => c.Uniqueid)).toEqual(['before', 'later']);
  });

  it('leaves out the cause event and the bridges', () => {
    const r = rig();
    r.subscribe();
    r.changes$.next(change('bridge-1', 'bridge'));
    r.changes$.next(change('call-1', 'call'));
    expect(r.messages.slice(1).map((message) => message.data)).toEqual([
      expect.objectContaining({ entity: 'call', id: 'call-1' }),
    ]);
    expect(r.messages[1]?.data).not.toHaveProperty('cause');
  });

  it('sends finished calls and connection changes, but not the state the snapshot already has', () => {
    const r = rig();
    r.subscribe();
    r.state$.next('connected');
    r.state$.next('reconnecting');
    r.finished$.next(finishedCall);
    expect(r.messages.slice(1)).toEqual([
      { type: 'connection', data: { state: 'reconnecting', at: 42 } },
      { type: 'finished', data: finishedCall },
    ]);
  });

  it('completes when closed$ emits, and stops listening', () => {
    const r = rig();
    r.subscribe();
    r.closed$.next();
    expect(r.isCompleted()).toBe(true);
    expect(r.changes$.observed).toBe(false);
    expect(r.state$.observed).toBe(false);
    expect(r.finished$.observed).toBe(false);
  });

  it('stops listening when the page goes away', () => {
    const r = rig();
    r.subscribe().unsubscribe();
    expect(r.changes$.observed).toBe(false);
    expect(r.finished$.observed).toBe(false);
  });
});
