import type { AmiEvent } from '../protocol/ami-message.js';
import type { LiveChanges } from './live-changes.js';
import type { CallRecord, ChannelRecord } from './live-fields.js';

/** Calls: the live channels grouped by Linkedid. A call ends with its last channel. */
export class CallMap {
  private readonly byLinkedid = new Map<string, CallRecord>();

  constructor(private readonly changes: LiveChanges) {}

  get size(): number {
    return this.byLinkedid.size;
  }

  get(linkedid: string): CallRecord | undefined {
    return this.byLinkedid.get(linkedid);
  }

  values(): IterableIterator<CallRecord> {
    return this.byLinkedid.values();
  }

  channelAdded(channel: ChannelRecord, cause: AmiEvent | null): void {
    const call = this.byLinkedid.get(channel.Linkedid);
    if (call === undefined) {
      const created: CallRecord = {
        Linkedid: channel.Linkedid,
        channels: [channel.Uniqueid],
        startedAt: channel.createdAt,
        answeredAt: channel.answeredAt,
      };
      this.byLinkedid.set(created.Linkedid, created);
      this.changes.emit('call', 'added', created.Linkedid, created, cause);
      return;
    }
    if (!call.channels.includes(channel.Uniqueid)) call.channels.push(channel.Uniqueid);
    if (channel.createdAt < call.startedAt) call.startedAt = channel.createdAt;
    if (call.answeredAt === undefined) call.answeredAt = channel.answeredAt;
    this.changes.emit('call', 'changed', call.Linkedid, call, cause);
  }

  /** The channel changed: it may have been answered, or moved to another call (another Linkedid). */
  channelUpdated(channel: ChannelRecord, previousLinkedid: string, cause: AmiEvent | null): void {
    if (previousLinkedid !== channel.Linkedid) {
      this.leave(previousLinkedid, channel.Uniqueid, cause);
      this.channelAdded(channel, cause);
      return;
    }
    const call = this.byLinkedid.get(channel.Linkedid);
    if (call === undefined) {
      this.channelAdded(channel, cause);
    } else if (call.answeredAt === undefined && channel.answeredAt !== undefined) {
      call.answeredAt = channel.answeredAt;
      this.changes.emit('call', 'changed', call.Linkedid, call, cause);
    }
  }

  channelRemoved(channel: ChannelRecord, cause: AmiEvent | null): void {
    this.leave(channel.Linkedid, channel.Uniqueid, cause);
  }

  private leave(linkedid: string, uniqueid: string, cause: AmiEvent | null): void {
    const call = this.byLinkedid.get(linkedid);
    if (call === undefined) return;
    const index = call.channels.indexOf(uniqueid);
    if (index === -1) return;
    if (call.channels.length === 1) {
      this.byLinkedid.delete(linkedid);
      this.changes.emit('call', 'removed', linkedid, call, cause);
      return;
    }
    call.channels.splice(index, 1);
    this.changes.emit('call', 'changed', linkedid, call, cause);
  }
}
