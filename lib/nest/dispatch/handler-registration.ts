import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';
import type { AmiHandlerErrorHook } from '../interfaces/ami-handler-error.interface.js';
import type { AmiLifecycleKind } from '../interfaces/ami-lifecycle.interface.js';

/**
 * Calls the handler method. `request` is one object per dispatched event: request-scoped handlers get
 * their DI context from it (the same context for every handler of that event).
 */
export type HandlerInvoker = (args: readonly unknown[], request: object) => unknown;

interface HandlerBase {
  className: string;
  methodName: string;
  onError?: AmiHandlerErrorHook;
  invoke: HandlerInvoker;
  /** False when the invoker never reads its `request` (a static provider): none is built for it. */
  readsRequest?: boolean;
}

export interface EventHandlerRegistration extends HandlerBase {
  /** Lower-cased; `*` for every event. */
  events: ReadonlySet<string>;
  filter?: (event: AmiEvent, meta: AmiEventMeta) => boolean;
}

export interface LifecycleHandlerRegistration extends HandlerBase {
  kinds: ReadonlySet<AmiLifecycleKind>;
}
