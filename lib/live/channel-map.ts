import type { AmiEvent } from '../protocol/ami-message.js';
import type { CallMap } from './call-map.js';
import type { LiveChanges } from './live-changes.js';
import { type ChannelRecord, channelFromEvent, updateChannel } from './live-fields.js';

/** The live channels by Uniqueid; each change also updates the calls. */
export class ChannelMap {
  private readonly byUniqueid = new Map<string, ChannelRecord>();

  constructor(
    private readonly changes: LiveChanges,
    private readonly calls: CallMap,
  ) {}

  get size(): number {
    return this.byUniqueid.size;
  }

  get(uniqueid: string): ChannelRecord | undefined {
    return this.byUniqueid.get(uniqueid);
  }

  values(): IterableIterator<ChannelRecord> {
    return this.byUniqueid.values();
  }

  /** A snapshot event (Newchannel, Newstate...): the channel is created, or updated in place. */
  applyEvent(uniqueid: string, event: AmiEvent, now: number): void {
    const channel = this.byUniqueid.get(uniqueid);
    if (channel === undefined) {
      this.add(channelFromEvent(event, now), event);
      return;
    }
    const linkedid = channel.Linkedid;
    const answered = channel.answeredAt;
    updateChannel(channel, event, now);
    this.changes.emit('channel', 'changed', uniqueid, channel, event);
    if (linkedid !== channel.Linkedid || answered !== channel.answeredAt) {
      this.calls.channelUpdated(channel, linkedid, event);
    }
  }

  /** Another name (Rename) or bridge: a change to one field. */
  setField(
    channel: ChannelRecord,
    field: 'Channel' | 'BridgeUniqueid',
    value: string | undefined,
    cause: AmiEvent | null,
  ): void {
    if (channel[field] === value) return;
    if (field === 'Channel') channel.Channel = value ?? '';
    else channel.BridgeUniqueid = value;
    this.changes.emit('channel', 'changed', channel.Uniqueid, channel, cause);
  }

  /** Stores a whole channel (a resync): added, or replacing the record of the same Uniqueid. */
  put(channel: ChannelRecord, cause: AmiEvent | null): void {
    const previous = this.byUniqueid.get(channel.Uniqueid);
    if (previous === undefined) {
      this.add(channel, cause);
      return;
    }
    this.byUniqueid.set(channel.Uniqueid, channel);
    this.changes.emit('channel', 'changed', channel.Uniqueid, channel, cause);
    this.calls.channelUpdated(channel, previous.Linkedid, cause);
  }

  /** Forgets the channel; returns it (undefined when it was not known). */
  delete(uniqueid: string, cause: AmiEvent | null): ChannelRecord | undefined {
    const channel = this.byUniqueid.get(uniqueid);
    if (channel === undefined) return undefined;
    this.byUniqueid.delete(uniqueid);
    this.changes.emit('channel', 'removed', uniqueid, channel, cause);
    this.calls.channelRemoved(channel, cause);
    return channel;
  }

  private add(channel: ChannelRecord, cause: AmiEvent | null): void {
    this.byUniqueid.set(channel.Uniqueid, channel);
    this.changes.emit('channel', 'added', channel.Uniqueid, channel, cause);
    this.calls.channelAdded(channel, cause);
  }
}
