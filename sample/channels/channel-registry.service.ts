import { Injectable, Logger } from '@nestjs/common';
import {
  type AmiCoreShowChannelEvent,
  type AmiHangupEvent,
  type AmiNewCalleridEvent,
  type AmiNewchannelEvent,
  type AmiNewstateEvent,
  AmiService,
  OnAmiConnected,
  OnAmiEvent,
} from 'nestjs-ami';
import type { LiveChannel } from './live-channel.js';

type ChannelSnapshot = Pick<
  AmiNewchannelEvent,
  | 'Channel'
  | 'Uniqueid'
  | 'Linkedid'
  | 'ChannelStateDesc'
  | 'CallerIDNum'
  | 'CallerIDName'
  | 'ConnectedLineNum'
  | 'Context'
  | 'Exten'
>;

/** Cluster mode: every replica keeps the whole list of live channels, so it sees every event. */
const EVERY = { delivery: 'every' } as const;

/** Told the Uniqueids of the live channels after each resynchronisation. */
export type ResyncListener = (liveUniqueids: ReadonlySet<string>) => void;

/**
 * The PBX's live channels, kept from Newchannel, Newstate, NewCallerid and Hangup events. At each login
 * (the first one and after a reconnection) the list is rebuilt from CoreShowChannels, so channels that
 * existed before, or changed while the connection was down, are right too.
 */
@Injectable()
export class ChannelRegistry {
  private readonly logger = new Logger('Channels');
  private channels = new Map<string, LiveChannel>();
  /** While a resync runs: what the events changed meanwhile, applied over its result. */
  private pending: { added: Map<string, LiveChannel>; removed: Set<string> } | null = null;
  private readonly resyncListeners: ResyncListener[] = [];

  constructor(private readonly ami: AmiService) {}

  list(): LiveChannel[] {
    return [...this.channels.values()].sort((a, b) => a.since.localeCompare(b.since));
  }

  onResync(listener: ResyncListener): void {
    this.resyncListeners.push(listener);
  }

  @OnAmiEvent('Newchannel', EVERY)
  onNewchannel(event: AmiNewchannelEvent): void {
    const channel = toLiveChannel(event, new Date());
    this.channels.set(channel.uniqueid, channel);
    this.pending?.added.set(channel.uniqueid, channel);
  }

  @OnAmiEvent(['Newstate', 'NewCallerid'], EVERY)
  onChange(event: AmiNewstateEvent | AmiNewCalleridEvent): void {
    const current = this.channels.get(String(event.Uniqueid));
    if (current === undefined) return;
    const updated = toLiveChannel(event as ChannelSnapshot, new Date(current.since));
    this.channels.set(updated.uniqueid, updated);
    this.pending?.added.set(updated.uniqueid, updated);
  }

  @OnAmiEvent('Hangup', EVERY)
  onHangup(event: AmiHangupEvent): void {
    this.channels.delete(event.Uniqueid);
    this.pending?.added.delete(event.Uniqueid);
    this.pending?.removed.add(event.Uniqueid);
  }

  @OnAmiConnected()
  async resync(): Promise<void> {
    if (this.pending !== null) return;
    this.pending = { added: new Map(), removed: new Set() };
    try {
      const list = await this.ami.sendList({ Action: 'CoreShowChannels' });
      const now = Date.now();
      const fresh = new Map<string, LiveChannel>();
      for (const item of list.events as AmiCoreShowChannelEvent[]) {
        if (this.pending.removed.has(item.Uniqueid)) continue;
        fresh.set(item.Uniqueid, toLiveChannel(item, new Date(now - durationMs(item.Duration))));
      }
      for (const [uniqueid, channel] of this.pending.added) fresh.set(uniqueid, channel);
      this.channels = fresh;
      this.logger.log(`${fresh.size} live channel(s) on the PBX`);
    } catch (error) {
      this.logger.warn(`Could not list the live channels: ${(error as Error).message}`);
      return;
    } finally {
      this.pending = null;
    }
    const live = new Set(this.channels.keys());
    for (const listener of this.resyncListeners) listener(live);
  }
}

function toLiveChannel(event: ChannelSnapshot, since: Date): LiveChannel {
  return {
    channel: event.Channel,
    uniqueid: event.Uniqueid,
    linkedid: event.Linkedid,
    state: event.ChannelStateDesc,
    callerIdNum: event.CallerIDNum,
    callerIdName: event.CallerIDName,
    connectedLineNum: event.ConnectedLineNum,
    context: event.Context,
    exten: event.Exten,
    since: since.toISOString(),
  };
}

/** CoreShowChannel's Duration, `HH:MM:SS`, in ms (0 when absent or unreadable). */
function durationMs(duration: string | undefined): number {
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(duration ?? '');
  if (match === null) return 0;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
}
