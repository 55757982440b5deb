import { readFileSync } from 'node:fs';
import { AmiError, type AmiEvent, type AmiLiveChange, AmiLiveState } from '../../../lib/client.js';
import { FakeLiveSource } from './support/fake-live-source.js';

interface Recording {
  events: AmiEvent[];
  lists: { channels: AmiEvent[]; bridges: AmiEvent[]; queues: AmiEvent[] };
}

/** Real sequences from Asterisk 22 (fixtures/record-live-events.mjs). */
const recording = (name: string): Recording =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Recording;
const bridged = recording('bridged-call');
const queued = recording('queue-caller');
const EMPTY = { channels: [], bridges: [], queues: [] };

async function startedState(
  source: FakeLiveSource,
  lists: Recording['lists'] = EMPTY,
): Promise<AmiLiveState> {
  const live = new AmiLiveState(source);
  const started = live.start();
  await source.answerLists(lists);
  await started;
  return live;
}

const lastIndexOf = (events: AmiEvent[], name: string): number =>
  events.map((event) => event.Event).lastIndexOf(name);

/** The recording with every id suffixed: the same call again, as another call. */
function renumbered(events: AmiEvent[], round: number): AmiEvent[] {
  return events.map((event) => {
    const copy: AmiEvent = { ...event };
    for (const key of ['Uniqueid', 'Linkedid', 'BridgeUniqueid', 'DestUniqueid', 'DestLinkedid'] as const) {
      if (typeof copy[key] === 'string') copy[key] = `${copy[key]}-${round}`;
    }
    return copy;
  });
}

describe('AmiLiveState from recorded events', () => {
  it('follows a bridged call: 4 channels, 1 bridge of 2, 1 call; nothing left after its Hangups', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const bridgeEntered = lastIndexOf(bridged.events, 'BridgeEnter');
    for (const event of bridged.events.slice(0, bridgeEntered + 1)) source.emit(event);

    expect(live.sizes()).toMatchObject({ channels: 4, bridges: 1, calls: 1 });
    const [bridge] = live.snapshot().bridges;
    expect(bridge?.channels).toHaveLength(2);
    for (const uniqueid of bridge?.channels ?? []) {
      expect(live.channel(uniqueid)?.BridgeUniqueid).toBe(bridge?.BridgeUniqueid);
    }
    const [call] = live.snapshot().calls;
    expect(call?.channels).toHaveLength(4);
    expect(call?.answeredAt).toBeDefined();
    expect(live.channel(String(bridged.events[0]?.Uniqueid))).toMatchObject({
      Channel: bridged.events[0]?.Channel,
      ChannelStateDesc: 'Up',
    });

    for (const event of bridged.events.slice(bridgeEntered + 1)) source.emit(event);
    expect(live.sizes()).toEqual({
      channels: 0,
      bridges: 0,
      calls: 0,
      queues: 0,
      queueMembers: 0,
      queueCallers: 0,
    });
  });

  it('reports each change with its cause, in order, and frozen values', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const changes: AmiLiveChange[] = [];
    live.changes$.subscribe((change) => changes.push(change));
    for (const event of bridged.events) source.emit(event);

    const summary = changes.map((change) => `${change.entity} ${change.kind}`);
    expect(summary.filter((line) => line === 'channel added')).toHaveLength(4);
    expect(summary.filter((line) => line === 'channel removed')).toHaveLength(4);
    expect(summary.filter((line) => line === 'call added')).toHaveLength(1);
    expect(summary.filter((line) => line === 'call removed')).toHaveLength(1);
    expect(summary.filter((line) => line === 'bridge added')).toHaveLength(1);
    expect(summary.filter((line) => line === 'bridge removed')).toHaveLength(1);
    expect(summary.indexOf('call removed')).toBe(summary.length - 1);
    expect(changes.every((change) => change.cause !== null && Object.isFrozen(change.value))).toBe(true);
    const bridgeRemoved = changes.find((change) => change.entity === 'bridge' && change.kind === 'removed');
    expect(bridgeRemoved?.cause?.Event).toBe('BridgeDestroy');
  });

  it('keeps queue members and waiting callers, positions moving up when one leaves', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source, {
      ...EMPTY,
      queues: queued.lists.queues.filter((item) => item.Event === 'QueueParams'),
    });
    expect(live.queue('support')).toMatchObject({
      Queue: 'support',
      Strategy: 'ringall',
      members: [],
      callers: [],
    });
    const firstLeave = queued.events.findIndex((event) => event.Event === 'QueueCallerLeave');
    for (const event of queued.events.slice(0, firstLeave)) source.emit(event);

    const queue = live.queue('support');
    expect(queue?.members).toEqual([expect.objectContaining({ Interface: 'Local/agent@test', Paused: '1' })]);
    expect(queue?.callers.map((caller) => caller.Position)).toEqual(['1', '2']);
    expect(queue?.Calls).toBe('2');
    expect(live.sizes()).toMatchObject({ queueMembers: 1, queueCallers: 2 });

    source.emit(queued.events[firstLeave] as AmiEvent);
    expect(live.queue('support')?.callers).toEqual([expect.objectContaining({ Position: '1' })]);
    for (const event of queued.events.slice(firstLeave + 1)) source.emit(event);
    expect(live.sizes()).toMatchObject({
      channels: 0,
      calls: 0,
      queues: 2,
      queueMembers: 0,
      queueCallers: 0,
    });
  });

  it('holds nothing after a thousand calls', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    let leftOverAfterACall = 0;
    for (let round = 0; round < 1_000; round += 1) {
      for (const event of renumbered(bridged.events, round)) source.emit(event);
      for (const event of renumbered(queued.events, round)) source.emit(event);
      leftOverAfterACall = Math.max(leftOverAfterACall, live.sizes().channels);
    }
    expect(leftOverAfterACall).toBe(0);
    expect(live.sizes()).toMatchObject({
      channels: 0,
      bridges: 0,
      calls: 0,
      queueMembers: 0,
      queueCallers: 0,
    });
  });
});

describe('AmiLiveState resync', () => {
  it('takes what the lists say: channels, bridge membership from BridgeId, calls, queue members and callers', async () => {
    const source = new FakeLiveSource();
    const changes: AmiLiveChange[] = [];
    const live = new AmiLiveState(source);
    live.changes$.subscribe((change) => changes.push(change));
    const started = live.start();
    await source.answerLists(bridged.lists);
    await started;
    expect(live.synced).toBe(true);
    expect(live.sizes()).toMatchObject({ channels: 4, bridges: 1, calls: 1 });
    expect(live.snapshot().bridges[0]?.channels).toHaveLength(2);
    expect(changes.every((change) => change.cause === null)).toBe(true);
    const channelChanges = changes.filter((change) => change.entity === 'channel');
    expect(channelChanges.map((change) => change.kind)).toEqual(['added', 'added', 'added', 'added']);
    expect(changes.filter((change) => change.entity === 'bridge').map((change) => change.kind)).toEqual([
      'added',
    ]);

    const again = live.resync();
    await source.answerLists(queued.lists);
    await again;
    expect(live.sizes()).toMatchObject({
      channels: 4,
      bridges: 0,
      calls: 2,
      queueMembers: 1,
      queueCallers: 2,
    });
    const removed = changes.filter((change) => change.kind === 'removed');
    expect(removed.map((change) => change.entity).sort()).toEqual([
      'bridge',
      'call',
      'channel',
      'channel',
      'channel',
      'channel',
    ]);
    expect(removed.every((change) => change.cause === null)).toBe(true);
  });

  it('does not let an older list answer undo events read while it was awaited', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const bridgeEntered = lastIndexOf(bridged.events, 'BridgeEnter');
    for (const event of bridged.events.slice(0, bridgeEntered + 1)) source.emit(event);

    // A resync starts; the call ends while its lists are on the way; the lists still show the call up.
    const resync = live.resync();
    for (const event of bridged.events.slice(bridgeEntered + 1)) source.emit(event);
    // And a new channel appears that the (older) lists do not know.
    const newcomer = { ...bridged.events[0], Uniqueid: 'later.1', Linkedid: 'later.1' } as AmiEvent;
    source.emit(newcomer);
    await source.answerLists(bridged.lists);
    await resync;

    expect(live.sizes()).toMatchObject({ channels: 1, bridges: 0, calls: 1 });
    expect(live.channel('later.1')).toBeDefined();
  });

  it('never brings back a bridge destroyed before the resync began, though its (older) list still names it', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    // The whole call, BridgeDestroy included, is read before the resync starts.
    for (const event of bridged.events) source.emit(event);
    expect(live.sizes().bridges).toBe(0);

    // Asterisk answered BridgeList from before the destroy: the list still names the bridge and its
    // channels still carry its id. Nothing would ever remove it again (its BridgeDestroy was read).
    const resync = live.resync();
    await source.answerLists({ ...EMPTY, bridges: bridged.lists.bridges });
    await resync;
    expect(live.sizes()).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
  });

  it('never brings back a bridge destroyed during an earlier resync, while lists still name it', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const destroyed = lastIndexOf(bridged.events, 'BridgeDestroy');
    const before = bridged.events.slice(0, destroyed);
    for (const event of before) source.emit(event);
    const hungUp = new Set(before.filter((event) => event.Event === 'Hangup').map((event) => event.Uniqueid));
    // Lists as old as the destroy: the bridge still there, the channels not hung up yet by then.
    const stale = {
      ...bridged.lists,
      channels: bridged.lists.channels.filter((item) => !hungUp.has(item.Uniqueid)),
    };
    // The BridgeDestroy is read while a first resync waits for its lists (that one's window saw it)...
    const first = live.resync();
    source.emit(bridged.events[destroyed] as AmiEvent);
    await source.answerLists(stale);
    await first;
    expect(live.sizes()).toMatchObject({ channels: 2, bridges: 0 });
    // ...and the next resync's lists are still that old.
    const second = live.resync();
    await source.answerLists(stale);
    await second;
    expect(live.sizes()).toMatchObject({ channels: 2, bridges: 0 });

    for (const event of bridged.events.slice(destroyed + 1)) source.emit(event);
    const third = live.resync();
    await source.answerLists(EMPTY);
    await third;
    expect(live.sizes()).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
  });

  it('remembers a bridge destroyed during a resync whose BridgeList is older than the bridge', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    // BridgeList answered before the bridge existed; the whole call is read before the other answers.
    const first = live.resync();
    for (const event of bridged.events) source.emit(event);
    await source.answerLists(EMPTY);
    await first;
    // The next BridgeList is answered from before the destroy.
    const second = live.resync();
    await source.answerLists({ ...EMPTY, bridges: bridged.lists.bridges });
    await second;
    expect(live.sizes()).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
  });

  it('keeps the events state of a listed channel that changed during the resync', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const resync = live.resync();
    const listed = bridged.lists.channels[0] as AmiEvent;
    source.emit({ ...listed, Event: 'Newstate', ChannelState: '5', ChannelStateDesc: 'Ringing' });
    source.emit({ ...listed, Event: 'Newstate', ChannelState: '6', ChannelStateDesc: 'Up' });
    source.emit({ ...listed, Event: 'Newexten', Priority: '9', Application: 'Playback', AppData: 'hello' });
    await source.answerLists(bridged.lists);
    await resync;
    expect(live.channel(String(listed.Uniqueid))).toMatchObject({ Priority: '9', Application: 'Playback' });
    expect(live.sizes().channels).toBe(4);
  });

  it('runs again after a login that comes while one runs; a failed one is reported and changes nothing', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const first = live.resync();
    const second = live.resync();
    expect(live.resync()).toBe(second);
    await new Promise((resolve) => setImmediate(resolve));
    for (const request of source.requests.splice(0)) request.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await source.answerLists(bridged.lists);
    await second;
    expect(live.sizes().channels).toBe(4);

    source.login();
    await new Promise((resolve) => setImmediate(resolve));
    for (const request of source.requests.splice(0)) request.fail(new Error('timeout'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(live.sizes().channels).toBe(4);
  });

  it('stop() unsubscribes everything and completes changes$', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    let completed = false;
    live.changes$.subscribe({ complete: () => (completed = true) });
    expect(source.subscriptionCount).toBeGreaterThan(10);
    live.stop();
    expect(source.subscriptionCount).toBe(0);
    expect(completed).toBe(true);
    await expect(live.start()).rejects.toThrow(AmiError);
    await expect(live.start()).rejects.toThrow(/stopped/);
  });

  it('without queues: no QueueStatus and no queue listener', async () => {
    const source = new FakeLiveSource();
    const live = new AmiLiveState(source, { queues: false });
    const started = live.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.requests.map((request) => request.action).sort()).toEqual([
      'BridgeList',
      'CoreShowChannels',
    ]);
    for (const request of source.requests.splice(0)) request.answer([]);
    await started;
    for (const event of queued.events) source.emit(event);
    expect(live.sizes()).toMatchObject({ queues: 0, queueMembers: 0, queueCallers: 0 });
  });
});

describe('AmiLiveState values', () => {
  it('hands out frozen copies: a later event does not change a snapshot taken before it', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    source.emit(bridged.events[0] as AmiEvent);
    const uniqueid = String(bridged.events[0]?.Uniqueid);
    const before = live.snapshot();
    const channel = live.channel(uniqueid);
    source.emit({
      ...(bridged.events[0] as AmiEvent),
      Event: 'Newstate',
      ChannelState: '6',
      ChannelStateDesc: 'Up',
    });
    expect(Object.isFrozen(before.channels[0])).toBe(true);
    expect(before.channels[0]?.ChannelStateDesc).toBe(channel?.ChannelStateDesc);
    expect(before.channels[0]?.ChannelStateDesc).not.toBe('Up');
    expect(live.channel(uniqueid)?.ChannelStateDesc).toBe('Up');
  });

  it('keeps no bridge for a BridgeEnter without its BridgeCreate, and takes it from the next resync', async () => {
    const source = new FakeLiveSource();
    const live = await startedState(source);
    const created = bridged.events.findIndex((event) => event.Event === 'BridgeCreate');
    const entered = lastIndexOf(bridged.events, 'BridgeEnter');
    // The Enters come while the resync's lists are on their way: touched by events, yet kept from the list.
    const resync = live.resync();
    for (const [index, event] of bridged.events.entries()) {
      if (index !== created && index <= entered) source.emit(event);
    }
    expect(live.sizes().bridges).toBe(0);
    await source.answerLists(bridged.lists);
    await resync;
    expect(live.snapshot().bridges.map((bridge) => bridge.channels.length)).toEqual([2]);
  });
});
