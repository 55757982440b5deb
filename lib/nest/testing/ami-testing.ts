import type { INestApplicationContext } from '@nestjs/common';
import type { AmiDisconnectInfo, AmiReconnectingInfo } from '../../client/ami-client.types.js';
import { AmiAuthenticationError } from '../../errors/ami-errors.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import { AmiService, SERVICE_DISPATCHER } from '../ami.service.js';
import { connectionName, getAmiServiceToken } from '../ami.tokens.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import type { AmiLifecycleEvent } from '../interfaces/ami-lifecycle.interface.js';

/** A fake event: `Event` plus any headers, with Asterisk's names and string values. */
export type AmiFakeEvent = { Event: string } & Record<string, string | string[] | undefined>;

export interface AmiEmitResult {
  /** How many handler runs the event started (filters count as runs). */
  handlers: number;
}

/**
 * Drives one connection's real dispatch path without a PBX: an emitted event reaches the @OnAmiEvent
 * handlers, the event-emitter bridge and `AmiService.events$` exactly as one read from Asterisk would.
 * Handler failures are logged and reported to the error hooks as in production, not thrown here.
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
  async emit(
    event: AmiFakeEvent,
    options: { fromAction?: boolean; actionId?: string } = {},
  ): Promise<AmiEmitResult> {
    this.assertReady();
    if (typeof event?.Event !== 'string' || event.Event === '') {
      throw new TypeError('AmiTesting.emit needs an event with an `Event` header');
    }
    const meta = {
      connection: this.dispatcher.connection,
      fromAction: options.fromAction ?? false,
      ...(options.actionId === undefined ? {} : { actionId: options.actionId }),
    };
    const runs = this.dispatcher.dispatch({ ...event } as AmiEvent, meta);
    await Promise.all(runs);
    return { handlers: runs.length };
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
