import type { AmiClient } from '../client/ami-client.js';
import type { AmiLogSink } from '../client/ami-logger.js';
import { AmiActionError } from '../errors/ami-errors.js';
import type { AmiAction } from '../protocol/action-serializer.js';

/** The characters a POSIX extended regex (Asterisk's Filter) gives a meaning to. */
const REGEX_SPECIAL = /[\\.^$|?*+()[\]{}]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/**
 * THE one Filter this package ever sends: Asterisk then gives the session only the events carrying one
 * of its client's ActionIDs (its OriginateResponse, its list items). No other Filter form: a malformed
 * Filter crashed Asterisk 22.10.1.
 */
export function actionIdFilter(stem: string): AmiAction {
  return { Action: 'Filter', Operation: 'Add', Filter: `ActionID: ${escapeRegex(stem)}` };
}

/**
 * Filters the action client's session after each login (filters belong to a session: a reconnection
 * starts unfiltered). Asterisk refuses Filter to an AMI user without `system` write permission: then one
 * warning, and the session stays unfiltered (its events are dropped locally: more bytes, same result).
 * Returns the function that stops it.
 */
export function filterActionsOnLogin(client: AmiClient, log: AmiLogSink): () => void {
  let warned = false;
  const apply = () => {
    client.send(actionIdFilter(client.actionIdStem)).catch((error: unknown) => {
      if (!(error instanceof AmiActionError)) return; // the session went away: the next login filters
      if (warned) return;
      warned = true;
      log.warn(
        `cluster: Asterisk refused the ActionID Filter (${error.message}); the action session stays ` +
          "unfiltered and its events are dropped here (the AMI user needs 'system' write permission)",
      );
    });
  };
  client.on('login', apply);
  if (client.isConnected) apply();
  return () => client.off('login', apply);
}
