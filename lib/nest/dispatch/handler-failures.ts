import type { AmiLogger } from '../../client/ami-client.types.js';
import type {
  AmiHandlerErrorContext,
  AmiHandlerErrorHook,
} from '../interfaces/ami-handler-error.interface.js';
import type { EventHandlerRegistration, LifecycleHandlerRegistration } from './handler-registration.js';

/**
 * What happens when a handler of one connection throws or rejects: a log line naming it (with the stack),
 * then its own `onError` hook or the module's `onHandlerError`. Never throws: a failing hook is logged too.
 */
export class HandlerFailures {
  constructor(
    private readonly connection: string,
    private readonly logger: AmiLogger,
    private readonly onHandlerError?: AmiHandlerErrorHook,
  ) {}

  async report(
    error: unknown,
    handler: EventHandlerRegistration | LifecycleHandlerRegistration,
    subject: Pick<AmiHandlerErrorContext, 'event' | 'lifecycle'>,
  ): Promise<void> {
    const what =
      subject.event !== undefined ? String(subject.event.Event) : `lifecycle ${subject.lifecycle?.kind}`;
    const stack = error instanceof Error ? error.stack : undefined;
    this.logger.error(
      `AMI ${this.connection}: handler ${handler.className}.${handler.methodName} failed on ${what}: ${describeError(error)}`,
      stack,
    );
    const hook = handler.options.onError ?? this.onHandlerError;
    if (hook === undefined) return;
    const context: AmiHandlerErrorContext = {
      connection: this.connection,
      className: handler.className,
      methodName: handler.methodName,
      ...subject,
    };
    try {
      await hook(error, context);
    } catch (hookError) {
      this.logger.error(
        `AMI ${this.connection}: the error hook failed for ${handler.className}.${handler.methodName}: ${describeError(hookError)}`,
      );
    }
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
