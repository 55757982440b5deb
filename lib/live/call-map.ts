import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiLiveCall, AmiLiveChannel } from './live.types.js';
import type { LiveChanges } from './live-changes.js';

/** Calls: the live channels grouped by Linkedid. A call ends with its last channel. */
export class CallMap {
  private readonly byLinkedid = new Map<string, AmiLiveCall>();

  constructor(private readonly changes: LiveChanges) {}

  get size(): number {
    return this.byLinkedid.size;
  }

  get(linkedid: string): AmiLiveCall | undefined {
    return this.byLinkedid.get(linkedid);
  }

  values(): IterableIterator<AmiLiveCall> {
    return this.byLinkedid.values();
  }

  /** A channel appeared, or changed (its Linkedid or answer time may have). */
  channelSet(channel: AmiLiveChannel, previous: AmiLiveChannel | undefined, cause: AmiEvent | null): void {
    if (previous !== undefined && previous.Linkedid !== channel.Linkedid) {
      this.channelRemoved(previous, cause);
      previous = undefined;
    }
    const linkedid = channel.Linkedid;
    const call = this.byLinkedid.get(linkedid);
    if (call === undefined) {
      this.put(
        {
          Linkedid: linkedid,
          channels: [channel.Uniqueid],
          startedAt: channel.createdAt,
          answeredAt: channel.answeredAt,
        },
        'added',
        cause,
      );
      return;
    }
    const joined = previous === undefined && !call.channels.includes(channel.Uniqueid);
    const answered = call.answeredAt === undefined && channel.answeredAt !== undefined;
    const earlier = channel.createdAt < call.startedAt;
    if (!joined && !answered && !earlier) return;
    this.put(
      {
        Linkedid: linkedid,
        channels: joined ? [...call.channels, channel.Uniqueid] : call.channels,
        startedAt: earlier ? channel.createdAt : call.startedAt,
        answeredAt: call.answeredAt ?? channel.answeredAt,
      },
      'changed',
      cause,
    );
  }

  channelRemoved(channel: AmiLiveChannel, cause: AmiEvent | null): void {
    const call = this.byLinkedid.get(channel.Linkedid);
    if (call === undefined) return;
    const channels = call.channels.filter((uniqueid) => uniqueid !== channel.Uniqueid);
    if (channels.length === call.channels.length) return;
    if (channels.length === 0) {
      this.byLinkedid.delete(call.Linkedid);
      this.changes.emit('call', 'removed', call.Linkedid, call, cause);
      return;
    }
    this.put({ ...call, channels }, 'changed', cause);
  }

  private put(call: AmiLiveCall, kind: 'added' | 'changed', cause: AmiEvent | null): void {
    Object.freeze(call.channels);
    const frozen = Object.freeze(call);
    this.byLinkedid.set(call.Linkedid, frozen);
    this.changes.emit('call', kind, call.Linkedid, frozen, cause);
  }
}
