import type { ModuleRef } from '@nestjs/core';
import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';
import type { AmiEventEmitterBridgeOptions } from '../interfaces/ami-module-options.interface.js';
import { loadOptionalPeer } from './optional-peer.js';

interface EventEmitterLike {
  emit(event: string, ...values: unknown[]): boolean;
}

interface ReadinessWatcherLike {
  waitUntilReady(): Promise<void>;
}

/** The event-emitter name of an AMI event: `<prefix>.<connection>.<Event>`, e.g. `ami.default.Hangup`. */
export function amiEventEmitterName(event: AmiEvent, meta: AmiEventMeta, prefix = 'ami'): string {
  return `${prefix}.${meta.connection}.${event.Event}`;
}

/**
 * Publishes the connection's events on the application's EventEmitter2, with the event and its meta as
 * arguments. Until @nestjs/event-emitter has wired its @OnEvent listeners (its readiness watcher), events
 * are chained behind that, in order, rather than emitted to nobody.
 */
export async function attachEventEmitterBridge(
  moduleRef: ModuleRef,
  dispatcher: AmiDispatcher,
  options: true | AmiEventEmitterBridgeOptions,
): Promise<void> {
  const prefix = options === true ? 'ami' : (options.prefix ?? 'ami');
  const peer = await loadOptionalPeer(
    '@nestjs/event-emitter',
    'the eventEmitter option',
    () => import('@nestjs/event-emitter'),
  );
  const emitter = find<EventEmitterLike>(moduleRef, peer.EventEmitter2);
  if (emitter === undefined) {
    throw new Error(
      'nestjs-ami: the eventEmitter option needs EventEmitterModule.forRoot() in the application imports',
    );
  }
  const emit = (event: AmiEvent, meta: AmiEventMeta) => {
    try {
      emitter.emit(amiEventEmitterName(event, meta, prefix), event, meta);
    } catch (error) {
      dispatcher.reportPublishError(event, error);
    }
  };
  const watcher = find<ReadinessWatcherLike>(moduleRef, peer.EventEmitterReadinessWatcher);
  let waiting: Array<[AmiEvent, AmiEventMeta]> | null = watcher === undefined ? null : [];
  const flush = () => {
    const queued = waiting ?? [];
    waiting = null;
    for (const [event, meta] of queued) emit(event, meta);
  };
  watcher?.waitUntilReady().then(flush, flush);
  dispatcher.setPublisher((event, meta) => {
    if (waiting === null) emit(event, meta);
    else waiting.push([event, meta]);
  });
}

function find<T>(moduleRef: ModuleRef, token: unknown): T | undefined {
  if (token === undefined) return undefined;
  try {
    return moduleRef.get(token as never, { strict: false }) as T;
  } catch {
    return undefined;
  }
}
