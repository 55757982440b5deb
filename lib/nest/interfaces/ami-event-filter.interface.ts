import type { AmiEventFilterOptions } from '../../client/filters/event-filter.types.js';

/**
 * The module's `eventFilter`: the client's (`{ include: [...] }`), or `'handled'`: at each login, the
 * event names this connection's @OnAmiEvent handlers and AmiService.events(name) observers listen to.
 * A `'*'` handler or observer, or the event-emitter bridge, wants every event: then no filter, and a
 * warning.
 */
export type AmiModuleEventFilter = AmiEventFilterOptions | 'handled';
