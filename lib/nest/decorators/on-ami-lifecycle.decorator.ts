import { AMI_LIFECYCLE_HANDLER_METADATA } from '../ami.constants.js';
import type {
  AmiLifecycleHandlerMetadata,
  OnAmiLifecycleOptions,
} from '../interfaces/ami-handler-options.interface.js';
import type { AmiLifecycleKind } from '../interfaces/ami-lifecycle.interface.js';
import { appendMethodMetadata } from './method-metadata.js';

const KINDS: ReadonlySet<string> = new Set<AmiLifecycleKind>([
  'connected',
  'disconnected',
  'reconnecting',
  'loginFailed',
  'leadershipGained',
  'leadershipLost',
  'eventGap',
]);

/**
 * Calls the method with an AmiLifecycleEvent when the connection logs in (`connected`), is lost
 * (`disconnected`), schedules another attempt (`reconnecting`) or has its credentials refused
 * (`loginFailed`); in cluster mode also when this replica gains or loses the leadership and when a
 * takeover may have left a gap in the events (`eventGap`, on every replica). Events seen while the application closes are not dispatched.
 */
export function OnAmiLifecycle(
  kinds: AmiLifecycleKind | readonly AmiLifecycleKind[],
  options: OnAmiLifecycleOptions = {},
): MethodDecorator {
  const list = typeof kinds === 'string' ? [kinds] : [...kinds];
  if (list.length === 0 || list.some((kind) => !KINDS.has(kind))) {
    throw new TypeError(`@OnAmiLifecycle takes ${[...KINDS].join(', ')}; got ${JSON.stringify(kinds)}`);
  }
  const metadata: AmiLifecycleHandlerMetadata = { kinds: list, options };
  return appendMethodMetadata(AMI_LIFECYCLE_HANDLER_METADATA, metadata, '@OnAmiLifecycle');
}

/** Logged in, the first time or again after a loss. Gets an AmiConnectedEvent. */
export const OnAmiConnected = (options?: OnAmiLifecycleOptions) => OnAmiLifecycle('connected', options);
/** The connection was lost. Gets an AmiDisconnectedEvent (`reason`, `error`, `willReconnect`). */
export const OnAmiDisconnected = (options?: OnAmiLifecycleOptions) => OnAmiLifecycle('disconnected', options);
/** Another connection attempt is scheduled. Gets an AmiReconnectingEvent (`attempt`, `delay`, `error`). */
export const OnAmiReconnecting = (options?: OnAmiLifecycleOptions) => OnAmiLifecycle('reconnecting', options);
/** Asterisk refused the credentials. Gets an AmiLoginFailedEvent. */
export const OnAmiLoginFailed = (options?: OnAmiLifecycleOptions) => OnAmiLifecycle('loginFailed', options);

/** Cluster mode: this replica became the leader. Gets an AmiLeadershipGainedEvent (`epoch`). */
export const OnAmiLeadershipGained = (options?: OnAmiLifecycleOptions) =>
  OnAmiLifecycle('leadershipGained', options);
/** Cluster mode: this replica stopped being the leader. Gets an AmiLeadershipLostEvent (`reason`). */
export const OnAmiLeadershipLost = (options?: OnAmiLifecycleOptions) =>
  OnAmiLifecycle('leadershipLost', options);
/**
 * Cluster mode, on every replica: a new leader took over and events may have been missed in between.
 * Gets an AmiEventGapEvent (`from`, `to`, `epoch`).
 */
export const OnAmiEventGap = (options?: OnAmiLifecycleOptions) => OnAmiLifecycle('eventGap', options);

export function getAmiLifecycleHandlerMetadata(method: unknown): readonly AmiLifecycleHandlerMetadata[] {
  return typeof method === 'function'
    ? (Reflect.getMetadata(AMI_LIFECYCLE_HANDLER_METADATA, method) ?? [])
    : [];
}
