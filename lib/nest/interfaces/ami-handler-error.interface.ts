import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiLifecycleEvent } from './ami-lifecycle.interface.js';

/** Which handler failed, and on what. */
export interface AmiHandlerErrorContext {
  connection: string;
  className: string;
  methodName: string;
  /** The AMI event, when an @OnAmiEvent handler (or its filter) failed. */
  event?: AmiEvent;
  /** The lifecycle event, when a lifecycle handler failed. */
  lifecycle?: AmiLifecycleEvent;
}

/**
 * Told about every handler that throws or rejects (after the error is logged). A hook that throws is
 * logged too; neither stops the connection or the other handlers.
 */
export type AmiHandlerErrorHook = (error: unknown, context: AmiHandlerErrorContext) => unknown;
