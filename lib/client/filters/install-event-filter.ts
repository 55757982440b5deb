import { AmiActionError } from '../../errors/ami-errors.js';
import type { AmiAction } from '../../protocol/action-serializer.js';
import type { AmiResponse } from '../../protocol/ami-message.js';
import type { EventFilterSet } from './event-filter.js';

/** What a session's login needs to filter its events before they flow. */
export interface AmiLoginFilter {
  filter: EventFilterSet;
  actionIdStem: string;
  /** Asterisk refused Filter (the AMI user lacks `system` write permission). */
  refused(error: AmiActionError): void;
}

/** The Login's `Events` header when the session is filtered: none until the filters are in. */
export const EVENTS_HELD_BACK = 'off';

/**
 * Runs right after a Login sent with `Events: off`: adds the filters (pipelined), then switches the
 * events on with the mask the client asked for, so no unfiltered event reaches the session in between.
 * A refused Filter leaves the session unfiltered (the client drops the events locally); any other
 * failure fails the login.
 */
export async function installEventFilter(
  send: (action: AmiAction) => Promise<AmiResponse>,
  login: AmiLoginFilter,
  events: string,
): Promise<void> {
  const results = await Promise.allSettled(login.filter.actions(login.actionIdStem).map(send));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    const error: unknown = failure.reason;
    if (!(error instanceof AmiActionError)) throw error;
    login.refused(error);
  }
  if (events !== EVENTS_HELD_BACK) await send({ Action: 'Events', EventMask: events });
}
