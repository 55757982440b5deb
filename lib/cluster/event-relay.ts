import type { AmiEventContext, AmiEventListener } from '../client/ami-client.types.js';
import type { AmiEvent } from '../protocol/ami-message.js';

/** The part of AmiClient the relay uses (its public API). */
export interface AmiEventSource {
  onEvent(name: '*', listener: AmiEventListener<AmiEvent>): () => void;
}

/** The parts of the leadership and publisher it uses (AmiLeadership, AmiEventPublisher fit). */
export interface AmiRelayLeadership {
  readonly isLeader: boolean;
}
export interface AmiRelayPublisher {
  publish(event: AmiEvent, receivedAt?: number): void;
}

/**
 * Hands the AMI session's events to the stream while this replica leads. Only unsolicited events: those
 * that answer one of this replica's own actions (list items, OriginateResponse) are its own business.
 * Leading is checked on the local deadline at each event, and every append is fenced in Redis besides.
 * Returns the function that stops relaying.
 */
export function relayEvents(
  client: AmiEventSource,
  leadership: AmiRelayLeadership,
  publisher: AmiRelayPublisher,
): () => void {
  return client.onEvent('*', (event: AmiEvent, context: AmiEventContext) => {
    if (context.fromAction || !leadership.isLeader) return;
    publisher.publish(event, Date.now());
  });
}
