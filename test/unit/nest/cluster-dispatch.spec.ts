import type { AmiClient } from '../../../lib/client/ami-client.js';
import type { AmiClusterDelivery, AmiDelivery } from '../../../lib/cluster/cluster.types.js';
import { clientOptions } from '../../../lib/nest/ami-client-options.js';
import { ClusterDelivery } from '../../../lib/nest/cluster/cluster-delivery.js';
import { bindEveryOnDemand, clusterSinks } from '../../../lib/nest/cluster/cluster-sinks.js';
import {
  getAmiEventHandlerMetadata,
  OnAmiEvent,
} from '../../../lib/nest/decorators/on-ami-event.decorator.js';
import {
  getAmiLifecycleHandlerMetadata,
  OnAmiEventGap,
  OnAmiLeadershipGained,
  OnAmiLeadershipLost,
} from '../../../lib/nest/decorators/on-ami-lifecycle.decorator.js';
import { AmiDispatcher } from '../../../lib/nest/dispatch/ami-dispatcher.js';
import { bindClientToDispatcher } from '../../../lib/nest/dispatch/client-binding.js';
import type { EventHandlerRegistration } from '../../../lib/nest/dispatch/handler-registration.js';
import type { AmiEventMeta, AmiLifecycleEvent } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { deferred } from './support/deferred.js';
import { RecordingLogger } from './support/recording-logger.js';

type Run = { name: string; event: AmiEvent; meta: AmiEventMeta };

function handler(
  name: string,
  delivery: AmiDelivery | undefined,
  runs: Run[],
  body: () => unknown = () => undefined,
  events: string[] = ['Hangup'],
): EventHandlerRegistration {
  return {
    className: 'Test',
    methodName: name,
    events,
    options: delivery === undefined ? {} : { delivery },
    invoke: ([event, meta]) => {
      runs.push({ name, event: event as AmiEvent, meta: meta as AmiEventMeta });
      return body();
    },
  };
}

const hangup: AmiEvent = { Event: 'Hangup', Channel: 'PJSIP/1-0001' };
const delivered = (delivery: AmiDelivery, deliveryCount = 1): AmiClusterDelivery => ({
  eventId: '1700000000000-0',
  deliveryCount,
  delivery,
});

describe('@OnAmiEvent delivery option', () => {
  it('is kept in the options the dispatcher reads, absent when not given (once is the cluster default)', () => {
    class Listener {
      @OnAmiEvent('Hangup', { delivery: 'leader' })
      @OnAmiEvent('Hangup')
      handle() {}
    }
    expect(getAmiEventHandlerMetadata(Listener.prototype.handle)).toEqual([
      { events: ['Hangup'], options: {} },
      { events: ['Hangup'], options: { delivery: 'leader' } },
    ]);
  });

  it('refuses an unknown delivery mode with a TypeError', () => {
    expect(() => OnAmiEvent('Hangup', { delivery: 'twice' as AmiDelivery })).toThrow(
      /delivery is 'once', 'every' or 'leader'; got "twice"/,
    );
  });

  it('has lifecycle shortcuts for the cluster kinds', () => {
    class Listener {
      @OnAmiLeadershipGained()
      gained() {}
      @OnAmiLeadershipLost()
      lost() {}
      @OnAmiEventGap({ connection: 'pbx2' })
      gap() {}
    }
    expect(getAmiLifecycleHandlerMetadata(Listener.prototype.gained)).toEqual([
      { kinds: ['leadershipGained'], options: {} },
    ]);
    expect(getAmiLifecycleHandlerMetadata(Listener.prototype.lost)).toEqual([
      { kinds: ['leadershipLost'], options: {} },
    ]);
    expect(getAmiLifecycleHandlerMetadata(Listener.prototype.gap)).toEqual([
      { kinds: ['eventGap'], options: { connection: 'pbx2' } },
    ]);
  });
});

describe('AmiDispatcher without cluster mode', () => {
  it('ignores delivery: once, every, leader and default handlers all run on each dispatched event', () => {
    const runs: Run[] = [];
    const dispatcher = new AmiDispatcher('default', new RecordingLogger());
    for (const mode of [undefined, 'once', 'every', 'leader'] as const) {
      dispatcher.addEventHandler(handler(String(mode), mode, runs));
    }
    dispatcher.markReady();
    dispatcher.dispatch(hangup, { connection: 'default', fromAction: false });
    expect(runs.map((run) => run.name)).toEqual(['undefined', 'once', 'every', 'leader']);
    expect(runs[0].meta).toEqual({ connection: 'default', fromAction: false });
    expect(dispatcher.hasHandlers('once')).toBe(true);
    expect(dispatcher.hasHandlers('leader')).toBe(true);
  });

  it('leaves `cluster` out of the client options', () => {
    const options = clientOptions(
      { host: 'pbx', username: 'u', secret: 's', cluster: { redis: 'redis://x', group: 'g' } },
      'default',
    );
    expect(options).toEqual({ host: 'pbx', username: 'u', secret: 's' });
  });
});

describe('AmiDispatcher in cluster mode', () => {
  let logger: RecordingLogger;
  let dispatcher: AmiDispatcher;
  let runs: Run[];
  /** The sinks the node is handed, bound to the current dispatcher. */
  const sink = () => new ClusterDelivery(dispatcher);

  beforeEach(() => {
    logger = new RecordingLogger();
    dispatcher = new AmiDispatcher('default', logger, undefined, true);
    runs = [];
  });

  it('keeps once (the default), every and leader handlers apart, one sink each', async () => {
    dispatcher.addEventHandler(handler('default', undefined, runs));
    dispatcher.addEventHandler(handler('once', 'once', runs));
    dispatcher.addEventHandler(handler('every', 'every', runs));
    dispatcher.addEventHandler(handler('leader', 'leader', runs));
    dispatcher.markReady();

    await sink().once(hangup, delivered('once', 2));
    expect(runs.map((run) => run.name)).toEqual(['default', 'once']);
    expect(runs[0].meta).toEqual({
      connection: 'default',
      fromAction: false,
      eventId: '1700000000000-0',
      deliveryCount: 2,
      delivery: 'once',
    });

    runs.length = 0;
    await sink().every(hangup, delivered('every'));
    expect(runs.map((run) => run.name)).toEqual(['every']);
    expect(runs[0].meta.delivery).toBe('every');

    runs.length = 0;
    await sink().leader(hangup, delivered('leader'));
    expect(runs.map((run) => run.name)).toEqual(['leader']);
    expect(runs[0].meta.delivery).toBe('leader');
  });

  it("resolves a sink's promise only once the handlers settled", async () => {
    const gate = deferred();
    dispatcher.addEventHandler(handler('slow', 'once', runs, () => gate.promise));
    dispatcher.markReady();
    let settled = false;
    const delivery = sink()
      .once(hangup, delivered('once'))
      .then(() => {
        settled = true;
      });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    gate.resolve();
    await delivery;
    expect(settled).toBe(true);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['rejects', () => Promise.reject(new Error('boom'))],
  ])(
    "rejects a sink's promise when a handler %s (the entry is not acked), after the others ran",
    async (_, body) => {
      const hooked: string[] = [];
      const hook = (_error: unknown, context: { methodName: string }) => {
        hooked.push(context.methodName);
      };
      dispatcher = new AmiDispatcher('default', logger, hook, true);
      dispatcher.addEventHandler(handler('failing', 'once', runs, body));
      dispatcher.addEventHandler(handler('fine', 'once', runs));
      dispatcher.addEventHandler(handler('failingLeader', 'leader', runs, body));
      dispatcher.addEventHandler(handler('failingEvery', 'every', runs, body));
      dispatcher.markReady();
      await expect(sink().once(hangup, delivered('once'))).rejects.toThrow(/1 handler\(s\) failed on Hangup/);
      await expect(sink().leader(hangup, delivered('leader'))).rejects.toThrow(/failed on Hangup/);
      await expect(sink().every(hangup, delivered('every'))).rejects.toThrow(/failed on Hangup/);
      expect(runs.map((run) => run.name)).toEqual(['failing', 'fine', 'failingLeader', 'failingEvery']);
      expect(hooked).toEqual(['failing', 'failingLeader', 'failingEvery']);
      expect(logger.messages('error')[0]).toMatch(/Test.failing failed on Hangup: boom/);
    },
  );

  it("rejects a sink's promise when a handler's filter throws, resolves when the filter skips it", async () => {
    const registration = handler('filtered', 'once', runs);
    let filter: () => boolean = () => false;
    registration.options.filter = () => filter();
    dispatcher.addEventHandler(registration);
    dispatcher.markReady();
    await expect(sink().once(hangup, delivered('once'))).resolves.toBeUndefined();
    filter = () => {
      throw new Error('bad filter');
    };
    await expect(sink().once(hangup, delivered('once'))).rejects.toThrow(/failed on Hangup/);
    expect(runs).toEqual([]);
  });

  it('serves observers and the event-emitter bridge from the every sink only', async () => {
    const observed: Array<[string, AmiEventMeta]> = [];
    const published: string[] = [];
    dispatcher.observe('*', (event, meta) => observed.push([event.Event, meta]));
    dispatcher.setPublisher((event) => published.push(event.Event));
    dispatcher.addEventHandler(handler('once', 'once', runs));
    dispatcher.addEventHandler(handler('leader', 'leader', runs));
    dispatcher.markReady();
    await sink().once(hangup, delivered('once'));
    await sink().leader(hangup, delivered('leader'));
    expect(observed).toEqual([]);
    expect(published).toEqual([]);
    await sink().every(hangup, delivered('every'));
    expect(observed.map(([name]) => name)).toEqual(['Hangup']);
    expect(observed[0][1]).toMatchObject({
      eventId: '1700000000000-0',
      delivery: 'every',
      fromAction: false,
    });
    expect(published).toEqual(['Hangup']);
  });

  it('refuses once and leader deliveries once stopped (not acked: another replica gets them)', async () => {
    dispatcher.addEventHandler(handler('once', 'once', runs));
    dispatcher.markReady();
    dispatcher.stop();
    await expect(sink().once(hangup, delivered('once'))).rejects.toThrow(/not dispatching/);
    expect(runs).toEqual([]);
  });

  it('asks the node for a once or leader consumer only when handlers of that mode are wired', () => {
    dispatcher.addEventHandler(handler('every', 'every', runs));
    dispatcher.markReady();
    const delivery = sink();
    let sinks = clusterSinks(dispatcher, delivery);
    expect(sinks.every).toBe(delivery.every);
    expect(sinks.once).toBeUndefined();
    expect(sinks.leader).toBeUndefined();
    dispatcher.addEventHandler(handler('default', undefined, runs));
    dispatcher.addEventHandler(handler('leader', 'leader', runs));
    sinks = clusterSinks(dispatcher, delivery);
    expect(sinks.once).toBe(delivery.once);
    expect(sinks.leader).toBe(delivery.leader);
  });

  it('counts a handler that does not settle within handlerTimeout as failed, names it once, and moves on', async () => {
    const never = new Promise<void>(() => undefined);
    dispatcher.addEventHandler(handler('stuck', 'once', runs, () => never));
    dispatcher.addEventHandler(handler('quick', 'once', runs, () => Promise.resolve()));
    dispatcher.addEventHandler(handler('stuckLeader', 'leader', runs, () => never));
    dispatcher.markReady();
    const delivery = new ClusterDelivery(dispatcher, 50);
    await expect(delivery.once(hangup, delivered('once', 3))).rejects.toThrow(
      /1 handler\(s\) did not settle within 50 ms on Hangup/,
    );
    await expect(delivery.leader(hangup, delivered('leader'))).rejects.toThrow(/did not settle/);
    expect(logger.messages('warn')).toEqual([
      'AMI default: handler Test.stuck did not settle within 50 ms on Hangup (eventId 1700000000000-0, once): counted as failed',
      'AMI default: handler Test.stuckLeader did not settle within 50 ms on Hangup (eventId 1700000000000-0, leader): counted as failed',
    ]);
    // The runs go on (they cannot be cancelled): the shutdown's drain still sees them.
    expect(dispatcher.inFlightCount).toBe(2);
  });

  it('lets a handler that settles within handlerTimeout through, without a warning', async () => {
    const gate = deferred();
    dispatcher.addEventHandler(handler('slow', 'once', runs, () => gate.promise));
    dispatcher.markReady();
    const delivery = new ClusterDelivery(dispatcher, 60_000).once(hangup, delivered('once'));
    gate.resolve();
    await expect(delivery).resolves.toBeUndefined();
    expect(logger.messages('warn')).toEqual([]);
  });

  it('asks for no every reader when nothing reads it; an observer, the bridge or an every handler does', () => {
    dispatcher.addEventHandler(handler('once', 'once', runs));
    dispatcher.markReady();
    const delivery = new ClusterDelivery(dispatcher);
    expect(clusterSinks(dispatcher, delivery).every).toBeUndefined();
    const unsubscribe = dispatcher.observe('*', () => undefined);
    expect(clusterSinks(dispatcher, delivery).every).toBe(delivery.every);
    unsubscribe();
    expect(clusterSinks(dispatcher, delivery).every).toBeUndefined();
    dispatcher.setPublisher(() => undefined);
    expect(clusterSinks(dispatcher, delivery).every).toBe(delivery.every);
  });

  it('starts the every reader at the first subscription after the bootstrap (events$ subscribed late)', () => {
    dispatcher.markReady();
    const delivery = new ClusterDelivery(dispatcher);
    const asked: unknown[] = [];
    const node = {
      readEvery: (sink: unknown) => {
        asked.push(sink);
        return Promise.resolve();
      },
    };
    bindEveryOnDemand(dispatcher, delivery, node as never);
    expect(asked).toEqual([]);
    dispatcher.observe('Hangup', () => undefined);
    expect(asked).toEqual([delivery.every]);
  });

  it("turns the node's lifecycle into the connection's lifecycle events", async () => {
    const seen: AmiLifecycleEvent[] = [];
    dispatcher.addLifecycleHandler({
      className: 'Test',
      methodName: 'gap',
      kinds: ['eventGap', 'leadershipGained'],
      options: {},
      invoke: ([lifecycle]) => seen.push(lifecycle as AmiLifecycleEvent),
    });
    dispatcher.markReady();
    const { lifecycle } = clusterSinks(dispatcher, sink());
    lifecycle?.({ kind: 'leadershipGained', epoch: 3 });
    lifecycle?.({ kind: 'leadershipLost', reason: 'expired' });
    lifecycle?.({ kind: 'eventGap', from: null, to: 1_700_000_000_000, epoch: 3 });
    await dispatcher.drain(1_000);
    expect(seen).toEqual([
      { kind: 'leadershipGained', connection: 'default', epoch: 3 },
      { kind: 'eventGap', connection: 'default', from: null, to: 1_700_000_000_000, epoch: 3 },
    ]);
  });

  it("never dispatches the action client's own events (only its lifecycle): handlers see the stream only", () => {
    const subscribed: string[] = [];
    const listened: string[] = [];
    const client = {
      onEvent: (name: string) => {
        subscribed.push(name);
        return () => undefined;
      },
      on: (name: string) => listened.push(name),
      off: () => undefined,
    } as unknown as AmiClient;
    bindClientToDispatcher(client, dispatcher);
    expect(subscribed).toEqual([]);
    expect(listened).toEqual(['login', 'disconnect', 'reconnecting', 'error']);
    bindClientToDispatcher(client, new AmiDispatcher('default', logger));
    expect(subscribed).toEqual(['*']);
  });
});
