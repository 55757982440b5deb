import { AmiDispatcher } from '../../../lib/nest/dispatch/ami-dispatcher.js';
import type { EventHandlerRegistration } from '../../../lib/nest/dispatch/handler-registration.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { type Deferred, deferred } from './support/deferred.js';
import { RecordingLogger } from './support/recording-logger.js';

const meta = { connection: 'default', fromAction: false };

function handler(events: string[], invoke: EventHandlerRegistration['invoke']): EventHandlerRegistration {
  return { className: 'Test', methodName: 'handle', events, options: {}, invoke };
}

describe('AmiDispatcher', () => {
  let logger: RecordingLogger;
  let dispatcher: AmiDispatcher;

  beforeEach(() => {
    logger = new RecordingLogger();
    dispatcher = new AmiDispatcher('default', logger);
  });

  it('starts handlers without waiting for them: a slow handler holds up neither the caller nor later events', async () => {
    const gates: Deferred[] = [];
    const finished: string[] = [];
    dispatcher.addEventHandler(
      handler(['hangup'], async ([event]) => {
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        finished.push(String((event as AmiEvent).Channel));
      }),
    );
    dispatcher.markReady();
    const first = dispatcher.dispatch({ Event: 'Hangup', Channel: 'a' }, meta);
    const second = dispatcher.dispatch({ Event: 'Hangup', Channel: 'b' }, meta);
    expect(gates).toHaveLength(2);
    expect(dispatcher.inFlightCount).toBe(2);
    gates[1].resolve();
    await second[0];
    expect(finished).toEqual(['b']);
    gates[0].resolve();
    await first[0];
    expect(finished).toEqual(['b', 'a']);
    expect(dispatcher.inFlightCount).toBe(0);
  });

  it('holds back events that arrive before the handlers are wired, then delivers them in order', async () => {
    const seen: string[] = [];
    dispatcher.dispatch({ Event: 'Newchannel', Uniqueid: '1' }, meta);
    dispatcher.dispatch({ Event: 'Hangup', Uniqueid: '1' }, meta);
    dispatcher.addEventHandler(handler(['*'], ([event]) => seen.push((event as AmiEvent).Event)));
    expect(seen).toEqual([]);
    dispatcher.markReady();
    expect(seen).toEqual(['Newchannel', 'Hangup']);
  });

  it('holds at most 10,000 events before the handlers are wired, and says how many it dropped', () => {
    // The bound keeps a connection that streams events while the app is still booting from growing
    // without limit: the first 10,000 wait, the rest are counted and reported.
    const bound = 10_000;
    const seen: string[] = [];
    for (let index = 0; index < bound + 5; index++) {
      dispatcher.dispatch({ Event: 'UserEvent', Uniqueid: String(index) }, meta);
    }
    dispatcher.addEventHandler(handler(['*'], ([event]) => seen.push(String((event as AmiEvent).Uniqueid))));
    dispatcher.markReady();
    expect(seen).toHaveLength(bound);
    expect(seen[0]).toBe('0');
    expect(seen[bound - 1]).toBe(String(bound - 1));
    expect(logger.lines.map((line) => line.message).join('\n')).toContain(
      '5 events arrived before the handlers were wired and were not dispatched',
    );
  });

  it('delivers to observers at once, even before the handlers are wired', () => {
    const observed: string[] = [];
    const stopObserving = dispatcher.observe('*', (event) => observed.push(event.Event));
    dispatcher.dispatch({ Event: 'FullyBooted' }, meta);
    stopObserving();
    dispatcher.dispatch({ Event: 'Reload' }, meta);
    expect(observed).toEqual(['FullyBooted']);
  });

  it('hands each event to the observers, the publisher, then the handlers, those of its name before those of *', () => {
    const order: string[] = [];
    dispatcher.addEventHandler(handler(['*'], () => order.push('handler *')));
    dispatcher.addEventHandler(handler(['HANGUP', 'hangup'], () => order.push('handler hangup')));
    dispatcher.addEventHandler(handler(['Newchannel'], () => order.push('handler newchannel')));
    dispatcher.setPublisher(() => order.push('publisher'));
    dispatcher.observe('*', () => order.push('observer *'));
    dispatcher.observe(['hangup', 'Hangup', 'DialBegin'], () => order.push('observer hangup'));
    dispatcher.markReady();
    dispatcher.dispatch({ Event: 'Hangup' }, meta);
    expect(order).toEqual(['observer hangup', 'observer *', 'publisher', 'handler hangup', 'handler *']);
  });

  it('drain waits for running handlers, and gives up after its timeout', async () => {
    const gate = deferred();
    let done = false;
    dispatcher.addEventHandler(
      handler(['hangup'], async () => {
        await gate.promise;
        done = true;
      }),
    );
    dispatcher.markReady();
    dispatcher.dispatch({ Event: 'Hangup' }, meta);
    dispatcher.stop();
    expect(await dispatcher.drain(20)).toBe(false);
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(/1 of 1 handlers still running after 20 ms/),
    ]);
    const draining = dispatcher.drain(60_000);
    gate.resolve();
    expect(await draining).toBe(true);
    expect(done).toBe(true);
  });

  it('dispatches nothing once stopped, and runs its stop callbacks once', () => {
    const seen: string[] = [];
    let unbound = 0;
    dispatcher.onStop(() => {
      unbound += 1;
    });
    dispatcher.addEventHandler(handler(['*'], ([event]) => seen.push((event as AmiEvent).Event)));
    dispatcher.markReady();
    dispatcher.stop();
    dispatcher.stop();
    expect(dispatcher.dispatch({ Event: 'Hangup' }, meta)).toEqual([]);
    expect(
      dispatcher.dispatchLifecycle({
        kind: 'connected',
        connection: 'default',
        amiVersion: null,
        reconnected: false,
      }),
    ).toEqual([]);
    expect(seen).toEqual([]);
    expect(unbound).toBe(1);
  });

  it('keeps dispatching when the publisher or an observer throws', () => {
    const seen: string[] = [];
    dispatcher.observe('*', () => {
      throw new Error('observer failure');
    });
    dispatcher.setPublisher(() => {
      throw new Error('publisher failure');
    });
    dispatcher.addEventHandler(handler(['hangup'], ([event]) => seen.push((event as AmiEvent).Event)));
    dispatcher.markReady();
    dispatcher.dispatch({ Event: 'Hangup' }, meta);
    expect(seen).toEqual(['Hangup']);
    expect(logger.messages('error')).toEqual([
      expect.stringMatching(/observer failed on Hangup: observer failure/),
      expect.stringMatching(/publishing Hangup failed: publisher failure/),
    ]);
  });
});
