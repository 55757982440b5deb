// The W1 listeners, the same for the bare client and the Nest app (W4): one for every event, one for
// Hangup. They count, and note when the sentinel arrives.
import { assert, heapUsedAfterGc, watchEventLoop } from './child.mjs';
import { SENTINEL_EVENT, SENTINEL_NAME } from './sentinel.mjs';

export function countingListeners() {
  const perType = Object.create(null);
  let hangups = 0;
  let signalDone;
  const done = new Promise((resolve) => {
    signalDone = resolve;
  });
  let finishedAt = 0;
  return {
    perType,
    done,
    get hangups() {
      return hangups;
    },
    get finishedAt() {
      return finishedAt;
    },
    onAny(event) {
      perType[event.Event] = (perType[event.Event] ?? 0) + 1;
      if (event.Event === SENTINEL_EVENT && event.UserEvent === SENTINEL_NAME) {
        finishedAt = performance.now();
        signalDone();
      }
    },
    onHangup(event) {
      if (event['Cause-txt'] === 'Normal Clearing') hangups += 1;
    },
  };
}

/** Every event type counted exactly, the Hangup listener included. */
export function checkCounts(listeners, expectedPerType) {
  const types = new Set([...Object.keys(expectedPerType), ...Object.keys(listeners.perType)]);
  for (const type of types) {
    const got = listeners.perType[type] ?? 0;
    assert(got === expectedPerType[type], `${type}: received ${got}, expected ${expectedPerType[type] ?? 0}`);
  }
  assert(
    listeners.hangups === expectedPerType.Hangup,
    `Hangup listener: ${listeners.hangups}, expected ${expectedPerType.Hangup}`,
  );
}

/**
 * W1's measurement, the same for every side: from the Ping whose answer starts the storm to the sentinel,
 * with the event loop watched and the heap read after a forced GC before and after.
 */
export async function measureStorm(listeners, sendPing, params) {
  const heapBefore = heapUsedAfterGc();
  const loop = watchEventLoop();
  const started = performance.now();
  await sendPing();
  await listeners.done;
  const elapsedMs = listeners.finishedAt - started;
  const loopDelayMaxMs = loop.stop();
  await new Promise((resolve) => setImmediate(resolve));
  const heapAfter = heapUsedAfterGc();
  checkCounts(listeners, params.expectedPerType);
  return {
    elapsedMs,
    eventsPerSecond: (params.events / elapsedMs) * 1000,
    heapBefore,
    heapAfter,
    loopDelayMaxMs,
  };
}
