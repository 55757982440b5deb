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
]);

/**
 * Calls the method with an AmiLifecycleEvent when the connection logs in (`connected`), is lost
 * (`disconnected`), schedules another attempt (`reconnecting`) or has its credentials refused
 * (`loginFailed`). Events seen while the application closes are not dispatched.
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

export function getAmiLifecycleHandlerMetadata(method: unknown): readonly AmiLifecycleHandlerMetadata[] {
  return typeof method === 'function'
    ? (Reflect.getMetadata(AMI_LIFECYCLE_HANDLER_METADATA, method) ?? [])
    : [];
}
