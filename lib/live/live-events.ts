import type { AmiEvent } from '../protocol/ami-message.js';
import type { BridgeMap } from './bridge-map.js';
import type { ChannelMap } from './channel-map.js';
import { bridgeFrom, callerFrom, memberFrom, text } from './live-fields.js';
import type { AmiLiveEventSource } from './live-source.js';
import type { QueueMap } from './queue-map.js';
import type { SyncWindow } from './sync-window.js';

export interface LiveMaps {
  channels: ChannelMap;
  bridges: BridgeMap;
  queues: QueueMap | null;
}

/** Events that carry the channel's whole snapshot: they create the channel if it is not known yet. */
const CHANNEL_SNAPSHOT_EVENTS = ['Newchannel', 'Newstate', 'NewCallerid', 'NewConnectedLine', 'Newexten'];

const QUEUE_MEMBER_EVENTS = [
  'QueueMemberAdded',
  'QueueMemberStatus',
  'QueueMemberPause',
  'QueueMemberPenalty',
  'QueueMemberRinginuse',
];

/**
 * Keeps the maps from events. Only the events named here are listened to: any other event costs live
 * state nothing. Each handler touches what it changes in the sync window (see SyncWindow).
 */
export class LiveEventHandlers {
  constructor(
    private readonly maps: LiveMaps,
    private readonly window: SyncWindow,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscribes every handler; returns the unsubscribe function. */
  subscribe(events: AmiLiveEventSource): () => void {
    const routes: Array<[string, (event: AmiEvent) => void]> = [
      ...CHANNEL_SNAPSHOT_EVENTS.map((name): [string, (event: AmiEvent) => void] => [
        name,
        this.onChannelSnapshot,
      ]),
      ['Rename', this.onRename],
      ['Hangup', this.onHangup],
      ['BridgeCreate', this.onBridgeCreate],
      ['BridgeEnter', this.onBridgeEnter],
      ['BridgeLeave', this.onBridgeLeave],
      ['BridgeDestroy', this.onBridgeDestroy],
      ['BridgeMerge', this.onBridgeMerge],
    ];
    if (this.maps.queues !== null) {
      for (const name of QUEUE_MEMBER_EVENTS) routes.push([name, this.onQueueMember]);
      routes.push(
        ['QueueMemberRemoved', this.onQueueMemberRemoved],
        ['QueueCallerJoin', this.onQueueCallerJoin],
        ['QueueCallerLeave', this.onQueueCallerLeave],
      );
    }
    const unsubscribers = routes.map(([name, handler]) => events.onEvent(name, handler));
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }

  readonly onChannelSnapshot = (event: AmiEvent): void => {
    const uniqueid = text(event.Uniqueid);
    if (uniqueid === '') return;
    this.window.touch('channel', uniqueid);
    this.maps.channels.applyEvent(uniqueid, event, this.now());
  };

  readonly onRename = (event: AmiEvent): void => {
    const uniqueid = text(event.Uniqueid);
    const channel = this.maps.channels.get(uniqueid);
    if (channel === undefined || event.Newname === undefined) return;
    this.window.touch('channel', uniqueid);
    this.maps.channels.setField(channel, 'Channel', text(event.Newname), event);
  };

  readonly onHangup = (event: AmiEvent): void => {
    const uniqueid = text(event.Uniqueid);
    this.window.touch('channel', uniqueid);
    const channel = this.maps.channels.delete(uniqueid, event);
    if (channel?.BridgeUniqueid !== undefined) {
      this.maps.bridges.removeMember(channel.BridgeUniqueid, uniqueid, event);
    }
    const queues = this.maps.queues;
    const queue = queues?.queueOfCaller(uniqueid);
    if (queue !== undefined) {
      this.window.touch('caller', uniqueid);
      queues?.leave(queue, uniqueid, event);
    }
  };

  readonly onBridgeCreate = (event: AmiEvent): void => {
    const id = text(event.BridgeUniqueid);
    this.window.touch('bridge', id);
    const known = this.maps.bridges.get(id);
    this.maps.bridges.set(bridgeFrom(event, known?.channels ?? []), event);
  };

  readonly onBridgeEnter = (event: AmiEvent): void => {
    const id = text(event.BridgeUniqueid);
    const uniqueid = text(event.Uniqueid);
    const { bridges, channels } = this.maps;
    this.window.touch('bridge', id);
    this.window.touch('channel', uniqueid);
    // A bridge is created by BridgeCreate (or found by a resync), never by an Enter alone.
    bridges.addMember(id, uniqueid, event);
    const channel = channels.get(uniqueid);
    if (channel === undefined || channel.BridgeUniqueid === id) return;
    if (channel.BridgeUniqueid !== undefined) bridges.removeMember(channel.BridgeUniqueid, uniqueid, event);
    channels.setField(channel, 'BridgeUniqueid', id, event);
  };

  readonly onBridgeLeave = (event: AmiEvent): void => {
    const id = text(event.BridgeUniqueid);
    const uniqueid = text(event.Uniqueid);
    const { bridges, channels } = this.maps;
    this.window.touch('bridge', id);
    this.window.touch('channel', uniqueid);
    bridges.removeMember(id, uniqueid, event);
    const channel = channels.get(uniqueid);
    if (channel !== undefined && channel.BridgeUniqueid === id) {
      channels.setField(channel, 'BridgeUniqueid', undefined, event);
    }
  };

  readonly onBridgeDestroy = (event: AmiEvent): void => {
    const id = text(event.BridgeUniqueid);
    this.window.touch('bridge', id);
    const bridge = this.maps.bridges.destroy(id, event);
    if (bridge === undefined) return;
    for (const uniqueid of bridge.channels) this.leaveDestroyedBridge(uniqueid, id, event);
  };

  /** BridgeMerge: every channel of the `From` bridge is now in the `To` bridge. */
  readonly onBridgeMerge = (event: AmiEvent): void => {
    const from = text(event.FromBridgeUniqueid);
    const to = text(event.ToBridgeUniqueid);
    const { bridges, channels } = this.maps;
    this.window.touch('bridge', from);
    this.window.touch('bridge', to);
    const source = bridges.get(from);
    if (source === undefined) return;
    for (const uniqueid of [...source.channels]) {
      this.window.touch('channel', uniqueid);
      bridges.removeMember(from, uniqueid, event);
      bridges.addMember(to, uniqueid, event);
      const channel = channels.get(uniqueid);
      if (channel !== undefined) channels.setField(channel, 'BridgeUniqueid', to, event);
    }
  };

  readonly onQueueMember = (event: AmiEvent): void => {
    const member = memberFrom(event);
    const queue = text(event.Queue);
    this.window.touch('member', queue, member.Interface);
    this.maps.queues?.setMember(queue, member, event);
  };

  readonly onQueueMemberRemoved = (event: AmiEvent): void => {
    const queue = text(event.Queue);
    const iface = text(event.Interface);
    this.window.touch('member', queue, iface);
    this.maps.queues?.removeMember(queue, iface, event);
  };

  readonly onQueueCallerJoin = (event: AmiEvent): void => {
    const queue = text(event.Queue);
    const caller = callerFrom(event, this.now());
    this.window.touch('queue', queue);
    this.window.touch('caller', caller.Uniqueid);
    this.maps.queues?.join(queue, caller, text(event.Count), event);
  };

  readonly onQueueCallerLeave = (event: AmiEvent): void => {
    const queue = text(event.Queue);
    const uniqueid = text(event.Uniqueid);
    this.window.touch('queue', queue);
    this.window.touch('caller', uniqueid);
    this.maps.queues?.leave(queue, uniqueid, event, text(event.Count));
  };

  private leaveDestroyedBridge(uniqueid: string, id: string, event: AmiEvent): void {
    const channel = this.maps.channels.get(uniqueid);
    if (channel === undefined || channel.BridgeUniqueid !== id) return;
    this.window.touch('channel', uniqueid);
    this.maps.channels.setField(channel, 'BridgeUniqueid', undefined, event);
  }
}
