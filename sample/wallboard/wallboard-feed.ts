import type { AmiConnectionState, AmiLiveChange, AmiLiveSnapshot } from 'nestjs-ami';
import {
  concat,
  defer,
  distinctUntilChanged,
  filter,
  map,
  merge,
  type Observable,
  of,
  skip,
  takeUntil,
} from 'rxjs';
import type { WallboardFinishedCall, WallboardMessage } from './wallboard-message.js';

/** What the wallboard reads of the live state (AmiLiveState has it). */
export interface WallboardLiveView {
  readonly synced: boolean;
  snapshot(): AmiLiveSnapshot;
  readonly changes$: Observable<AmiLiveChange>;
}

/** What the wallboard reads of the connection (AmiService has it). */
export interface WallboardConnectionView {
  readonly state: AmiConnectionState;
  /** The state now, then each change. */
  readonly state$: Observable<AmiConnectionState>;
}

/** Finished calls: the latest ones, then each new one. */
export interface WallboardCallLogView {
  recent(): WallboardFinishedCall[];
  readonly finished$: Observable<WallboardFinishedCall>;
}

export interface WallboardSources {
  live: WallboardLiveView;
  connection: WallboardConnectionView;
  log: WallboardCallLogView;
  now?: () => number;
}

/**
 * One page's stream: a snapshot, then every change after it. The snapshot is taken and the change streams
 * subscribed in the same synchronous step, so no change falls between them and none is sent twice.
 * Bridges are left out (the page shows calls, which already group the channels). Completes when `closed$`
 * emits, so an open page never holds the HTTP server open at shutdown.
 */
export function wallboardFeed(
  sources: WallboardSources,
  closed$: Observable<unknown>,
): Observable<WallboardMessage> {
  const now = sources.now ?? Date.now;
  return defer(() => {
    const live = sources.live.snapshot();
    const snapshot: WallboardMessage = {
      type: 'snapshot',
      data: {
        at: now(),
        synced: sources.live.synced,
        connection: sources.connection.state,
        channels: live.channels,
        calls: live.calls,
        queues: live.queues,
        log: sources.log.recent(),
      },
    };
    const changes = sources.live.changes$.pipe(
      filter((change) => change.entity !== 'bridge'),
      map(
        ({ cause: _cause, ...change }): WallboardMessage => ({
          type: 'change',
          data: { ...change, at: now(), synced: sources.live.synced },
        }),
      ),
    );
    const finished = sources.log.finished$.pipe(
      map((call): WallboardMessage => ({ type: 'finished', data: call })),
    );
    const connection = sources.connection.state$.pipe(
      distinctUntilChanged(),
      // The first value is the state the snapshot already carries.
      skip(1),
      map((state): WallboardMessage => ({ type: 'connection', data: { state, at: now() } })),
    );
    return concat(of(snapshot), merge(changes, finished, connection));
  }).pipe(takeUntil(closed$));
}
