import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiEventByName, AmiEventNameInput } from '../../types/ami-event-types.js';
import { AMI_EVENT_HANDLER_METADATA } from '../ami.constants.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';
import type {
  AmiEventHandlerMetadata,
  OnAmiEventOptions,
} from '../interfaces/ami-handler-options.interface.js';
import { appendMethodMetadata } from './method-metadata.js';

/**
 * Calls the method with `(event, meta)` for each AMI event of that name (case-insensitive), of any of
 * those names, or of every name with `'*'`. Stackable; works on providers and controllers, request-scoped
 * ones included. In cluster mode, `options.delivery` picks the replicas that run it (`once` by default).
 */
export function OnAmiEvent<N extends AmiEventNameInput>(
  events: N | readonly N[],
  options: OnAmiEventOptions<AmiEventByName<N>> = {},
): AmiEventHandlerDecorator<AmiEventByName<N>> {
  const names = typeof events === 'string' ? [events] : [...events];
  if (names.length === 0 || names.some((name) => typeof name !== 'string' || name.trim() === '')) {
    throw new TypeError(`@OnAmiEvent needs one or more event names, got ${JSON.stringify(events)}`);
  }
  const delivery: unknown = options?.delivery;
  if (delivery !== undefined && delivery !== 'once' && delivery !== 'every' && delivery !== 'leader') {
    throw new TypeError(
      `@OnAmiEvent: delivery is 'once', 'every' or 'leader'; got ${JSON.stringify(delivery)}`,
    );
  }
  const metadata: AmiEventHandlerMetadata = { events: names, options: options as OnAmiEventOptions };
  return appendMethodMetadata(
    AMI_EVENT_HANDLER_METADATA,
    metadata,
    '@OnAmiEvent',
  ) as AmiEventHandlerDecorator<AmiEventByName<N>>;
}

/**
 * A method decorator that checks the handler's parameter against the event's type: `@OnAmiEvent('Hangup')`
 * accepts `(event: AmiHangupEvent)` or `(event: AmiEvent)`, and refuses a handler of another event's type.
 */
export type AmiEventHandlerDecorator<TEvent extends AmiEvent> = <
  THandler extends (event: TEvent, meta: AmiEventMeta) => unknown,
>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<THandler>,
) => void;

export function getAmiEventHandlerMetadata(method: unknown): readonly AmiEventHandlerMetadata[] {
  return typeof method === 'function' ? (Reflect.getMetadata(AMI_EVENT_HANDLER_METADATA, method) ?? []) : [];
}
