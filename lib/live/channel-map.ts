import type { AmiEvent } from '../protocol/ami-message.js';
import type { CallMap } from './call-map.js';
import type { AmiLiveChannel } from './live.types.js';
import type { LiveChanges } from './live-changes.js';

/** The live channels by Uniqueid; each change also updates the calls. */
export class ChannelMap {
  private readonly byUniqueid = new Map<string, AmiLiveChannel>();

  constructor(
    private readonly changes: LiveChanges,
    private readonly calls: CallMap,
  ) {}

  get size(): number {
    return this.byUniqueid.size;
  }

  get(uniqueid: string): AmiLiveChannel | undefined {
    return this.byUniqueid.get(uniqueid);
  }

  values(): IterableIterator<AmiLiveChannel> {
    return this.byUniqueid.values();
  }

  /** Stores `channel` (frozen); returns the one it replaced. */
  set(channel: AmiLiveChannel, cause: AmiEvent | null): AmiLiveChannel | undefined {
    const previous = this.byUniqueid.get(channel.Uniqueid);
    this.byUniqueid.set(channel.Uniqueid, channel);
    this.changes.emit(
      'channel',
      previous === undefined ? 'added' : 'changed',
      channel.Uniqueid,
      channel,
      cause,
    );
    this.calls.channelSet(channel, previous, cause);
    return previous;
  }

  /** Forgets the channel; returns it (undefined when it was not known). */
  delete(uniqueid: string, cause: AmiEvent | null): AmiLiveChannel | undefined {
    const channel = this.byUniqueid.get(uniqueid);
    if (channel === undefined) return undefined;
    this.byUniqueid.delete(uniqueid);
    this.changes.emit('channel', 'removed', uniqueid, channel, cause);
    this.calls.channelRemoved(channel, cause);
    return channel;
  }
}
