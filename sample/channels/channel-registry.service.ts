import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type AmiLiveChannel, type AmiLiveState, AmiService } from 'nestjs-ami';
import type { LiveChannel } from './live-channel.js';

/** Told the Uniqueids of the live channels after each resynchronisation. */
export type ResyncListener = (liveUniqueids: ReadonlySet<string>) => void;

/**
 * The PBX's live channels, as GET /channels lists them: a view of the library's live state (the
 * module's `live: true`), which follows the events and is rebuilt from Asterisk's lists at every login.
 * In cluster mode every replica holds the whole state.
 */
@Injectable()
export class ChannelRegistry implements OnModuleInit {
  private readonly logger = new Logger('Channels');

  constructor(private readonly ami: AmiService) {}

  onModuleInit(): void {
    const live = this.live();
    live.resynced$.subscribe(() => this.logger.log(`${live.sizes().channels} live channel(s) on the PBX`));
  }

  list(): LiveChannel[] {
    return this.live()
      .snapshot()
      .channels.map(toLiveChannel)
      .sort((a, b) => a.since.localeCompare(b.since));
  }

  onResync(listener: ResyncListener): void {
    // Completes when the application closes (the live state stops with the connection).
    const live = this.live();
    live.resynced$.subscribe(() => {
      listener(new Set(live.snapshot().channels.map((channel) => channel.Uniqueid)));
    });
  }

  private live(): AmiLiveState {
    const live = this.ami.live;
    if (live === null) throw new Error('ChannelRegistry needs the AMI connection option `live: true`');
    return live;
  }
}

function toLiveChannel(channel: AmiLiveChannel): LiveChannel {
  return {
    channel: channel.Channel,
    uniqueid: channel.Uniqueid,
    linkedid: channel.Linkedid,
    state: channel.ChannelStateDesc,
    callerIdNum: channel.CallerIDNum,
    callerIdName: channel.CallerIDName,
    connectedLineNum: channel.ConnectedLineNum,
    context: channel.Context,
    exten: channel.Exten,
    since: new Date(channel.createdAt).toISOString(),
  };
}
