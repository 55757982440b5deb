import type { AmiEvent } from '../protocol/ami-message.js';
import type {
  AmiLiveBridge,
  AmiLiveChannel,
  AmiLiveQueue,
  AmiLiveQueueCaller,
  AmiLiveQueueMember,
} from './live.types.js';
import type { LiveMaps } from './live-events.js';
import {
  bridgeFrom,
  type ChannelRecord,
  callerFrom,
  channelFromListItem,
  memberFrom,
  text,
} from './live-fields.js';
import type { LiveLists } from './live-lists.js';
import { type AmiLiveQueueParams, type QueueMap, queueParamsFrom } from './queue-map.js';
import type { TouchedKeys } from './sync-window.js';

/**
 * Makes the maps equal Asterisk's lists, except for what events touched while the lists were read
 * (those keep the events' state). What vanished is removed, what appeared is added, what differs is
 * changed: every change with cause null.
 */
export function reconcile(maps: LiveMaps, lists: LiveLists, touched: TouchedKeys, now: number): void {
  reconcileChannels(maps, lists.channels, touched, now);
  reconcileBridges(maps, lists.bridges, touched);
  if (maps.queues !== null && lists.queues !== null) reconcileQueues(maps.queues, lists.queues, touched, now);
}

function reconcileChannels(maps: LiveMaps, items: AmiEvent[], touched: TouchedKeys, now: number): void {
  const { channels } = maps;
  const listed = new Set<string>();
  for (const item of items) {
    const uniqueid = text(item.Uniqueid);
    listed.add(uniqueid);
    if (touched.has('channel', uniqueid)) continue;
    const fresh = channelFromListItem(item, now);
    const known = channels.get(uniqueid);
    if (known === undefined) channels.put(fresh, null);
    else if (!sameChannel(known, fresh)) channels.put(keepTimes(fresh, known), null);
  }
  for (const channel of [...channels.values()]) {
    if (!listed.has(channel.Uniqueid) && !touched.has('channel', channel.Uniqueid)) {
      channels.delete(channel.Uniqueid, null);
    }
  }
}

/** A channel already known keeps the times it was seen with (more precise than a Duration). */
function keepTimes(fresh: ChannelRecord, known: ChannelRecord): ChannelRecord {
  fresh.createdAt = known.createdAt;
  fresh.answeredAt = known.answeredAt;
  return fresh;
}

const CHANNEL_FIELDS = [
  'Linkedid',
  'Channel',
  'ChannelState',
  'ChannelStateDesc',
  'CallerIDNum',
  'CallerIDName',
  'ConnectedLineNum',
  'ConnectedLineName',
  'Context',
  'Exten',
  'Priority',
  'Application',
  'ApplicationData',
  'BridgeUniqueid',
] as const;

function sameChannel(a: AmiLiveChannel, b: AmiLiveChannel): boolean {
  return CHANNEL_FIELDS.every((field) => a[field] === b[field]);
}

/**
 * Bridges listed and neither touched nor destroyed take the list's fields, and as members the channels
 * that now say they are in them (the channels were reconciled first).
 */
function reconcileBridges(maps: LiveMaps, items: AmiEvent[], touched: TouchedKeys): void {
  const { bridges, channels } = maps;
  const members = new Map<string, string[]>();
  for (const channel of channels.values()) {
    if (channel.BridgeUniqueid === undefined) continue;
    const list = members.get(channel.BridgeUniqueid);
    if (list === undefined) members.set(channel.BridgeUniqueid, [channel.Uniqueid]);
    else list.push(channel.Uniqueid);
  }
  const listed = new Set<string>();
  for (const item of items) {
    const id = text(item.BridgeUniqueid);
    listed.add(id);
    const known = bridges.get(id);
    // A list older than a BridgeDestroy already read (in this resync or before it) never brings it back.
    if (bridges.wasDestroyed(id)) continue;
    // Touched by events: theirs, except a bridge they entered without its BridgeCreate.
    if (touched.has('bridge', id) && known !== undefined) continue;
    const fresh = bridgeFrom(item, members.get(id) ?? []);
    if (known === undefined || !sameBridge(known, fresh)) bridges.set(fresh, null);
  }
  // A BridgeList answered after a destroy was read and not naming it: Asterisk let it go for good. A
  // destroy read during this resync may be newer than its BridgeList: kept until the next one.
  bridges.forgetDestroyed((id) => !listed.has(id) && !touched.has('bridge', id));
  for (const bridge of [...bridges.values()]) {
    const id = bridge.BridgeUniqueid;
    if (listed.has(id) || touched.has('bridge', id)) continue;
    bridges.delete(id, null);
    // Channels that still name it were touched by events: they leave it with the bridge.
    for (const uniqueid of bridge.channels) {
      const channel = channels.get(uniqueid);
      if (channel?.BridgeUniqueid === id) channels.setField(channel, 'BridgeUniqueid', undefined, null);
    }
  }
}

function sameBridge(a: AmiLiveBridge, b: AmiLiveBridge): boolean {
  return (
    a.BridgeType === b.BridgeType &&
    a.BridgeTechnology === b.BridgeTechnology &&
    a.BridgeCreator === b.BridgeCreator &&
    a.BridgeName === b.BridgeName &&
    a.channels.length === b.channels.length &&
    a.channels.every((uniqueid) => b.channels.includes(uniqueid))
  );
}

interface ListedQueue {
  params: AmiLiveQueueParams;
  members: AmiLiveQueueMember[];
  callers: AmiLiveQueueCaller[];
}

function reconcileQueues(queues: QueueMap, items: AmiEvent[], touched: TouchedKeys, now: number): void {
  const listed = new Map<string, ListedQueue>();
  const listedQueue = (name: string): ListedQueue => {
    let queue = listed.get(name);
    if (queue === undefined) {
      queue = { params: queueParamsFrom({ Event: 'QueueParams', Queue: name }), members: [], callers: [] };
      listed.set(name, queue);
    }
    return queue;
  };
  for (const item of items) {
    const name = text(item.Queue);
    if (item.Event === 'QueueParams') listedQueue(name).params = queueParamsFrom(item);
    else if (item.Event === 'QueueMember') listedQueue(name).members.push(memberFrom(item));
    else if (item.Event === 'QueueEntry') listedQueue(name).callers.push(callerFrom(item, now));
  }
  for (const [name, list] of listed) {
    const known = queues.get(name);
    const members = merge(
      list.members,
      known?.members ?? [],
      (member) => member.Interface,
      (iface) => touched.has('member', name, iface),
    );
    const callers = merge(
      list.callers,
      known?.callers ?? [],
      (caller) => caller.Uniqueid,
      (uniqueid) => touched.has('caller', uniqueid),
    ).sort((a, b) => Number(a.Position) - Number(b.Position));
    const params =
      known !== undefined && touched.has('queue', name)
        ? { ...list.params, Calls: known.Calls }
        : list.params;
    if (known === undefined || !sameQueue(known, params, members, callers)) {
      queues.set(params, members, callers, null);
    }
  }
  for (const queue of [...queues.values()]) {
    if (!listed.has(queue.Queue) && !touched.has('queue', queue.Queue)) queues.delete(queue.Queue, null);
  }
}

/**
 * The listed items, except that what events touched keeps its state from the events: present if it is
 * in `current`, absent if not. Listed items known already keep their object (and its times).
 */
function merge<T>(
  listed: readonly T[],
  current: readonly T[],
  idOf: (item: T) => string,
  isTouched: (id: string) => boolean,
): T[] {
  const currentById = new Map(current.map((item) => [idOf(item), item]));
  const result: T[] = [];
  const seen = new Set<string>();
  for (const item of listed) {
    const id = idOf(item);
    seen.add(id);
    if (isTouched(id)) {
      const kept = currentById.get(id);
      if (kept !== undefined) result.push(kept);
    } else {
      result.push(sameTimes(item, currentById.get(id)));
    }
  }
  for (const item of current) {
    const id = idOf(item);
    if (!seen.has(id) && isTouched(id)) result.push(item);
  }
  return result;
}

/** A waiting caller listed again keeps the join time it was seen with. */
function sameTimes<T>(fresh: T, known: T | undefined): T {
  if (known === undefined) return fresh;
  const joined = (known as { joinedAt?: number }).joinedAt;
  return joined === undefined ? fresh : (Object.freeze({ ...fresh, joinedAt: joined }) as T);
}

function sameQueue(
  known: AmiLiveQueue,
  params: AmiLiveQueueParams,
  members: AmiLiveQueueMember[],
  callers: AmiLiveQueueCaller[],
): boolean {
  const sameParams = (Object.keys(params) as Array<keyof AmiLiveQueueParams>).every(
    (key) => known[key] === params[key],
  );
  return (
    sameParams &&
    JSON.stringify(known.members) === JSON.stringify(members) &&
    JSON.stringify(known.callers) === JSON.stringify(callers)
  );
}
