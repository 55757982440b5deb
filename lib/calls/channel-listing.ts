import type { AmiClient } from '../client/ami-client.js';
import { type AmiEvent, firstHeaderValue } from '../protocol/ami-message.js';
import type { ListedChannel } from './call-record.js';

/** `01:02:03` (CoreShowChannel's Duration) in seconds; 0 when unreadable. */
function durationSeconds(duration: string | undefined): number {
  const parts = (duration ?? '').split(':').map(Number);
  if (parts.length === 0 || parts.some((part) => !Number.isFinite(part))) return 0;
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function listed(item: AmiEvent): ListedChannel | null {
  const value = (name: string) => firstHeaderValue(item, name) ?? '';
  const uniqueid = value('Uniqueid');
  if (uniqueid === '') return null;
  return {
    Uniqueid: uniqueid,
    Linkedid: value('Linkedid') || uniqueid,
    Channel: value('Channel'),
    ChannelState: value('ChannelState'),
    CallerIDNum: value('CallerIDNum'),
    Exten: value('Exten'),
    seconds: durationSeconds(firstHeaderValue(item, 'Duration')),
  };
}

/** Every channel Asterisk has now (CoreShowChannels). */
export async function listChannels(client: AmiClient): Promise<ListedChannel[]> {
  const list = await client.sendList({ Action: 'CoreShowChannels' });
  return list.events.map(listed).filter((channel): channel is ListedChannel => channel !== null);
}
