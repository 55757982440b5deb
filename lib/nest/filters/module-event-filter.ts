import type { AmiEventFilterOptions } from '../../client/filters/event-filter.types.js';
import { AmiInvalidEventFilterError } from '../../client/filters/filter-errors.js';
import { ALL_EVENTS } from '../../protocol/event-name-index.js';
import type { AmiConnectionRegistry } from '../ami-connection.registry.js';
import type { AmiModuleEventFilter } from '../interfaces/ami-event-filter.interface.js';

/**
 * The client's eventFilter for the module's: `'handled'` becomes a list read at each login from the
 * connection's dispatcher (its handlers are wired before the bootstrap connects).
 */
export function moduleEventFilter(
  option: AmiModuleEventFilter | undefined,
  connection: string,
  registry: AmiConnectionRegistry,
  warn: (message: string) => void,
): AmiEventFilterOptions | undefined {
  if (option !== 'handled') {
    if (typeof option === 'string') {
      throw new AmiInvalidEventFilterError(
        `AmiModule (${connection}): eventFilter is 'handled' or { include: [...] }, not ${JSON.stringify(option)}`,
      );
    }
    return option;
  }
  let warned = false;
  const unfiltered = (why: string) => {
    if (!warned) {
      warned = true;
      warn(`AMI ${connection}: eventFilter 'handled' installs no filter: ${why}`);
    }
    return [ALL_EVENTS];
  };
  return {
    include: () => {
      const dispatcher = registry.named(connection)[0]?.dispatcher;
      // A client connected by hand before the bootstrap wired the handlers: their names are not known yet.
      if (dispatcher === undefined || !dispatcher.isReady) {
        return unfiltered('the connection logged in before the handlers were wired');
      }
      const names = dispatcher.listenedEventNames();
      if (!names.includes(ALL_EVENTS)) return names;
      return unfiltered(
        "a '*' handler, an events$ or events('*') subscriber, or the event-emitter bridge wants every event",
      );
    },
  };
}
