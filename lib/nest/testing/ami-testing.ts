import type { INestApplicationContext } from '@nestjs/common';
import type { AmiDisconnectInfo, AmiReconnectingInfo } from '../../client/ami-client.types.js';
import type { AmiDelivery } from '../../cluster/cluster.types.js';
import { AmiAuthenticationError } from '../../errors/ami-errors.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import { AmiService, SERVICE_DISPATCHER } from '../ami.service.js';
import { connectionName, getAmiServiceToken } from '../ami.tokens.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';
import type { AmiLifecycleEvent } from '../interfaces/ami-lifecycle.interface.js';

const DELIVERY_MODES: readonly AmiDelivery[] = ['every', 'once', 'leader'];

/** A fake event: `Event` plus any headers, with Asterisk's names and string values. */
export type AmiFakeEvent = { Event: string } & Record<string, string | string[] | undefined>;

export interface AmiEmitResult {
  /** How many handler runs the event started (filters count as runs). */
  handlers: number;
}

export interface AmiEmitOptions {
  fromAction?: boolean;
  actionId?: string;
  /** Cluster mode: the stream entry ID handlers see (default: a new one per emit). */
  eventId?: string;
  /** Cluster mode: the delivery count handlers see (default 1; more, to test a redelivery). */
  deliveryCount?: number;
}

let emitted = 0;

/**
 * Drives one connection's real dispatch path without a PBX: an emitted event reaches the @OnAmiEvent
 * handlers, the event-emitter bridge and `AmiService.events$` exactly as one read from Asterisk would.
 * In cluster mode it reaches the handlers of every delivery mode (`every`, `once`, `leader`: in a test
 * there is one process), each with its `meta.delivery`. Handler failures are logged and reported to the
 * error hooks as in production, not thrown here.
 */
export class AmiTesting {
  private constructor(
    readonly service: AmiService,
    private readonly dispatcher: AmiDispatcher,
  ) {}

  /** The testing handle of a connection of an initialized app or testing module (`await app.init()` first). */
  static get(app: Pick<INestApplicationContext, 'get'>, connection?: string): AmiTesting {
    const service = app.get<AmiService>(getAmiServiceToken(connection) as never, { strict: false });
    const dispatcher = service instanceof AmiService ? service[SERVICE_DISPATCHER] : undefined;
    if (dispatcher === undefined) {
      throw new Error(`AmiTesting: no AmiModule connection named "${connectionName(connection)}"`);
    }
    return new AmiTesting(service, dispatcher);
  }

  /** Dispatches the event; resolves once every handler it started has finished. */
  async emit(event: AmiFakeEvent, options: AmiEmitOptions = {}): Promise<AmiEmitResult> {
    this.assertReady();
    if (typeof event?.Event !== 'string' || event.Event === '') {
      throw new TypeError('AmiTesting.emit needs an event with an `Event` header');
    }
    const meta: AmiEventMeta = {
      connection: this.dispatcher.connection,
      fromAction: options.fromAction ?? false,
      ...(options.actionId === undefined ? {} : { actionId: options.actionId }),
    };
    const copy = { ...event } as AmiEvent;
    const runs = this.dispatcher.clustered
      ? this.deliverInEveryMode(copy, meta, options)
      : this.dispatcher.dispatch(copy, meta);
    await Promise.all(runs);
    return { handlers: runs.length };
  }

  private deliverInEveryMode(event: AmiEvent, meta: AmiEventMeta, options: AmiEmitOptions): Promise<void>[] {
    emitted += 1;
    const eventId = options.eventId ?? `${Date.now()}-${emitted}`;
    const deliveryCount = options.deliveryCount ?? 1;
    // Failures are reported by the dispatcher (log, error hooks); nothing is acknowledged here.
    const outcome = { failed: 0, pending: [] };
    return DELIVERY_MODES.flatMap((delivery) =>
      this.dispatcher.runDelivery(delivery, event, { ...meta, eventId, deliveryCount, delivery }, outcome),
    );
  }

  /** Runs the lifecycle handlers as if the connection had logged in. */
  connected(info: { amiVersion?: string; reconnected?: boolean } = {}): Promise<AmiEmitResult> {
    return this.lifecycle({
      kind: 'connected',
      connection: this.dispatcher.connection,
      amiVersion: info.amiVersion ?? '11.0.0',
      reconnected: info.reconnected ?? false,
    });
  }

  /** Runs the lifecycle handlers as if the connection had been lost. */
  disconnected(info: Partial<AmiDisconnectInfo> = {}): Promise<AmiEmitResult> {
    return this.lifecycle({
      kind: 'disconnected',
      connection: this.dispatcher.connection,
      reason: info.reason ?? 'closed',
      willReconnect: info.willReconnect ?? true,
      ...(info.error === undefined ? {} : { error: info.error }),
    });
  }

  /** Runs the lifecycle handlers as if another connection attempt had been scheduled. */
  reconnecting(info: Partial<AmiReconnectingInfo> = {}): Promise<AmiEmitResult> {
    return this.lifecycle({
      kind: 'reconnecting',
      connection: this.dispatcher.connection,
      attempt: info.attempt ?? 1,
      delay: info.delay ?? 1_000,
      ...(info.error === undefined ? {} : { error: info.error }),
    });
  }

  /** Runs the lifecycle handlers as if Asterisk had refused the credentials. */
  loginFailed(
    error = new AmiAuthenticationError('Asterisk refused the login (AmiTesting)'),
  ): Promise<AmiEmitResult> {
    return this.lifecycle({ kind: 'loginFailed', connection: this.dispatcher.connection, error });
  }

  private async lifecycle(event: AmiLifecycleEvent): Promise<AmiEmitResult> {
    this.assertReady();
    const runs = this.dispatcher.dispatchLifecycle(event);
    await Promise.all(runs);
    return { handlers: runs.length };
  }

  private assertReady(): void {
    if (this.dispatcher.isStopped) throw new Error('AmiTesting: the application was closed');
    if (!this.dispatcher.isReady) {
      throw new Error('AmiTesting: handlers are wired at bootstrap: call `await app.init()` first');
    }
  }
}
