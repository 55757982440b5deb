import { type AmiError, AmiProtocolError } from '../errors/ami-errors.js';
import type { AmiEvent, AmiMessage, AmiResponse } from '../protocol/ami-message.js';
import type { AmiEventContext } from './ami-client.types.js';
import type { AmiLogSink } from './ami-logger.js';
import type { AmiSession } from './ami-session.js';
import type { EventSubscriptions } from './event-subscriptions.js';
import type { FrameTracer } from './frame-tracer.js';
import type { PendingActions } from './pending-actions.js';

/** What the router needs of its client. */
export interface InboundRouterHost {
  /** Whether events of `session` still reach listeners. */
  delivering(session: AmiSession): boolean;
  /** Whether the event filter lets an event that answers none of our actions reach the listeners. */
  admits(event: AmiEvent): boolean;
  /** The server answered our own Logoff with Goodbye: the client stays disconnected. */
  loggedOff(): void;
  reportError(error: AmiError): void;
}

const UNSOLICITED: AmiEventContext = Object.freeze({ fromAction: false });

/**
 * What each message from the server does: a response settles its pending action; an event is offered
 * to the pending action whose ActionID it carries, then delivered to the listeners; a Shutdown, or the
 * Goodbye answering our Logoff, tells the session why it is about to end.
 */
export class InboundRouter {
  constructor(
    private readonly pending: PendingActions,
    private readonly subscriptions: EventSubscriptions,
    private readonly logger: AmiLogSink,
    private readonly tracer: FrameTracer | null,
    private readonly host: InboundRouterHost,
  ) {}

  /**
   * Nothing thrown while routing a message may reach the socket's read callback (it would crash the
   * process and lose the rest of the read): it is reported, reading goes on.
   */
  receive(session: AmiSession, message: AmiMessage): void {
    try {
      this.route(session, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // The logger is guarded and error listeners are isolated: reporting cannot throw in turn.
      this.host.reportError(
        new AmiProtocolError(`a message from the server could not be handled: ${reason}`, { cause: error }),
      );
    }
  }

  private route(session: AmiSession, message: AmiMessage): void {
    this.tracer?.trace('<-', message);
    const actionId = message.ActionID;
    if (message.Event !== undefined) {
      const event = message as AmiEvent;
      const accepted = typeof actionId === 'string' && this.pending.onEvent(actionId, event);
      if (event.Event === 'Shutdown') session.expectLoss('shutdown');
      if (!this.host.delivering(session)) return;
      if (!accepted && !this.host.admits(event)) return;
      const context = accepted ? { fromAction: true, actionId: actionId as string } : UNSOLICITED;
      this.subscriptions.deliver(event, context);
      return;
    }
    const action = typeof actionId === 'string' ? this.pending.actionName(actionId) : undefined;
    if (action === undefined) {
      this.logger.debug(`AMI message matching no pending action: ActionID ${String(actionId)}`);
      return;
    }
    if (message.Response === 'Goodbye' && action === 'Logoff') {
      // The server closes after Goodbye; our own Logoff is a wish to stay disconnected. A Goodbye that
      // answers nothing of ours (a hostile server, a man in the middle) changes nothing.
      session.expectLoss('logoff');
      this.host.loggedOff();
    }
    this.pending.onResponse(actionId as string, message as AmiResponse);
  }
}
