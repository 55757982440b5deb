import type {
  OnAmiEventOptions,
  OnAmiLifecycleOptions,
} from '../interfaces/ami-handler-options.interface.js';
import type { AmiLifecycleKind } from '../interfaces/ami-lifecycle.interface.js';

/**
 * Calls the handler method. `request` is one object per dispatched event: request-scoped handlers get
 * their DI context from it (the same context for every handler of that event).
 */
export type HandlerInvoker = (args: readonly unknown[], request: object) => unknown;

/** What every registration of one handler method shares. */
export interface HandlerBase {
  className: string;
  methodName: string;
  invoke: HandlerInvoker;
  /** False when the invoker never reads its `request` (a static provider): none is built for it. */
  readsRequest?: boolean;
}

/**
 * One @OnAmiEvent of one method. `options` is the decorator's options object, whole: the dispatcher
 * reads what it honours (filter, onError), so an option added to the decorator reaches it unchanged.
 */
export interface EventHandlerRegistration extends HandlerBase {
  /** As the decorator got them; matched case-insensitively, `*` for every event. */
  events: readonly string[];
  options: OnAmiEventOptions;
}

/** One lifecycle decorator of one method, with its options object, whole. */
export interface LifecycleHandlerRegistration extends HandlerBase {
  kinds: readonly AmiLifecycleKind[];
  options: OnAmiLifecycleOptions;
}
