import type { AmiEvent } from '../../protocol/ami-message.js';
import { type AmiUserEvent, type AmiUserEventDefinition, isAmiUserEvent } from '../../types/user-events.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';
import type { OnAmiEventOptions } from '../interfaces/ami-handler-options.interface.js';
import { type AmiEventHandlerDecorator, OnAmiEvent } from './on-ami-event.decorator.js';

/**
 * Calls the method with `(event, meta)` for each UserEvent of that definition (see defineAmiUserEvent),
 * the event typed by it. An @OnAmiEvent('UserEvent') whose filter keeps that name: stackable, same
 * options, and `eventFilter: 'handled'` lets UserEvents through.
 */
export function OnAmiUserEvent<F extends object>(
  definition: AmiUserEventDefinition<F>,
  options: OnAmiEventOptions<AmiUserEvent<F>> = {},
): AmiEventHandlerDecorator<AmiUserEvent<F>> {
  if (typeof definition?.name !== 'string') {
    throw new TypeError('@OnAmiUserEvent takes a definition made by defineAmiUserEvent(name)');
  }
  const own = options.filter;
  const filter = (event: AmiEvent, meta: AmiEventMeta) =>
    isAmiUserEvent(event, definition) && (own === undefined || own(event, meta));
  return OnAmiEvent('UserEvent', { ...options, filter } as OnAmiEventOptions) as AmiEventHandlerDecorator<
    AmiUserEvent<F>
  >;
}
