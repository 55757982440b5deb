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
 * BridgeInfo per bridge is needed. QueueStatus answered with an error (app_queue not loaded) means no
 * queues.
 */
export async function readLiveLists(
  actions: AmiClient,
  options: AmiSendOptions,
  queues: boolean,
): Promise<LiveLists> {
  const [channels, bridges, queueItems] = await Promise.all([
    actions.sendList({ Action: 'CoreShowChannels' }, options),
    actions.sendList({ Action: 'BridgeList' }, options),
    queues ? readQueues(actions, options) : null,
  ]);
  return { channels: channels.events, bridges: bridges.events, queues: queueItems };
}

async function readQueues(actions: AmiClient, options: AmiSendOptions): Promise<AmiEvent[]> {
  try {
    return (await actions.sendList({ Action: 'QueueStatus' }, options)).events;
  } catch (error) {
    if (error instanceof AmiActionError) return [];
    throw error;
  }
}
