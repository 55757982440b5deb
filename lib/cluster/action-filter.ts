import type { AmiClient } from '../client/ami-client.js';
import type { AmiLogSink } from '../client/ami-logger.js';
import { actionIdFilter } from '../client/filters/filter-actions.js';
import { AmiActionError } from '../errors/ami-errors.js';

// THE one ActionID Filter, shared with the client's event filter (lib/client/filters).
export { actionIdFilter, escapeRegex } from '../client/filters/filter-actions.js';

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
