import type { AmiSendOptions } from '../client/ami-client.types.js';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiActionParams } from '../types/ami-action-types.js';
import type { AmiEventByName } from '../types/ami-event-types.js';
import type { AmiActionSender } from './action-sender.js';

/** A QueueStatus answer, sorted by kind; each item names its queue in `Queue`. */
export interface AmiQueueStatus {
  /** One QueueParams event per queue: strategy, calls waiting, hold and talk times. */
  queues: AmiEventByName<'QueueParams'>[];
  members: AmiEventByName<'QueueMember'>[];
  /** The callers waiting. */
  entries: AmiEventByName<'QueueEntry'>[];
}

/** The live channels (CoreShowChannels). */
export async function coreShowChannels(
  sender: AmiActionSender,
  options?: AmiSendOptions,
): Promise<AmiEventByName<'CoreShowChannel'>[]> {
  const list = await sender.sendList({ Action: 'CoreShowChannels' }, options);
  return list.events.filter(named('CoreShowChannel'));
}

/** The PJSIP endpoints (PJSIPShowEndpoints). */
export async function pjsipShowEndpoints(
  sender: AmiActionSender,
  options?: AmiSendOptions,
): Promise<AmiEventByName<'EndpointList'>[]> {
  const list = await sender.sendList({ Action: 'PJSIPShowEndpoints' }, options);
  return list.events.filter(named('EndpointList'));
}

/** The queues (or one `Queue`, or one `Member`'s queues) with their members and waiting callers. */
export async function queueStatus(
  sender: AmiActionSender,
  params: AmiActionParams<'QueueStatus'> = {},
  options?: AmiSendOptions,
): Promise<AmiQueueStatus> {
  const list = await sender.sendList({ ...params, Action: 'QueueStatus' }, options);
  return {
    queues: list.events.filter(named('QueueParams')),
    members: list.events.filter(named('QueueMember')),
    entries: list.events.filter(named('QueueEntry')),
  };
}

/** One summary per queue (or for `Queue` only): members logged in and available, callers, times. */
export async function queueSummary(
  sender: AmiActionSender,
  params: AmiActionParams<'QueueSummary'> = {},
  options?: AmiSendOptions,
): Promise<AmiEventByName<'QueueSummary'>[]> {
  const list = await sender.sendList({ ...params, Action: 'QueueSummary' }, options);
  return list.events.filter(named('QueueSummary'));
}

function named<N extends string>(name: N) {
  return <E extends AmiEvent>(event: E): event is E & AmiEventByName<N> => event.Event === name;
}
