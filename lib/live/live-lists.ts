import type { AmiClient } from '../client/ami-client.js';
import type { AmiSendOptions } from '../client/ami-client.types.js';
import { AmiActionError } from '../errors/ami-errors.js';
import type { AmiEvent } from '../protocol/ami-message.js';

/** What Asterisk lists at a resync: its own view of channels, bridges and queues. */
export interface LiveLists {
  /** CoreShowChannel items. */
  channels: AmiEvent[];
  /** BridgeListItem items. */
  bridges: AmiEvent[];
  /** QueueParams, QueueMember and QueueEntry items; null when queues are not kept. */
  queues: AmiEvent[] | null;
}

/**
 * Reads the lists, all at once. A channel's bridge comes from CoreShowChannel's BridgeId, so no
 * BridgeInfo per bridge is needed. BridgeList or QueueStatus answered with an error (app_queue not
 * loaded, a server without bridges) lists nothing.
 */
export async function readLiveLists(
  actions: AmiClient,
  options: AmiSendOptions,
  queues: boolean,
): Promise<LiveLists> {
  const [channels, bridges, queueItems] = await Promise.all([
    actions.sendList({ Action: 'CoreShowChannels' }, options),
    optionalList(actions, 'BridgeList', options),
    queues ? optionalList(actions, 'QueueStatus', options) : null,
  ]);
  return { channels: channels.events, bridges, queues: queueItems };
}

async function optionalList(
  actions: AmiClient,
  action: string,
  options: AmiSendOptions,
): Promise<AmiEvent[]> {
  try {
    return (await actions.sendList({ Action: action }, options)).events;
  } catch (error) {
    if (error instanceof AmiActionError) return [];
    throw error;
  }
}
