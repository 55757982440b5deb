import { EventEmitter } from 'node:events';
import { type AmiClient, type AmiEvent, AmiLiveState, silentLogger } from '../../../../lib/client.js';
import { AmiDispatcher } from '../../../../lib/nest/dispatch/ami-dispatcher.js';
import { nestLiveSource } from '../../../../lib/nest/live/nest-live-source.js';

/** A client that logs in by hand and records the list actions it is asked for. */
function fakeClient() {
  const client = Object.assign(new EventEmitter(), {
    isConnected: false,
    lists: [] as string[],
    sendList: async (action: { Action: string }) => {
      client.lists.push(action.Action);
      return { response: { Response: 'Success' }, events: [] };
    },
  });
  return client;
}

const newchannel: AmiEvent = {
  Event: 'Newchannel',
  Channel: 'PJSIP/alice-1',
  ChannelState: '4',
  ChannelStateDesc: 'Ring',
  Uniqueid: '1.0',
  Linkedid: '1.0',
};
const gap = { kind: 'eventGap', connection: 'default', from: null, to: 1, epoch: 2 } as const;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('live state wired to a Nest connection (nestLiveSource)', () => {
  it('without cluster mode: events the dispatcher observes, a resync at each login, none at an eventGap', async () => {
    const client = fakeClient();
    const dispatcher = new AmiDispatcher('default', silentLogger);
    const live = new AmiLiveState(nestLiveSource(client as unknown as AmiClient, dispatcher));
    await live.start();
    dispatcher.dispatch(newchannel, { connection: 'default', fromAction: false });
    expect(live.channel('1.0')?.ChannelStateDesc).toBe('Ring');

    client.emit('login');
    await settle();
    expect(client.lists.sort()).toEqual(['BridgeList', 'CoreShowChannels', 'QueueStatus']);
    expect(live.synced).toBe(true);
    dispatcher.dispatchLifecycle(gap);
    await settle();
    expect(client.lists).toHaveLength(3);
  });

  it('in cluster mode: events the every reader delivers, a resync at each login and each eventGap', async () => {
    const client = fakeClient();
    const dispatcher = new AmiDispatcher('default', silentLogger, undefined, true);
    const live = new AmiLiveState(nestLiveSource(client as unknown as AmiClient, dispatcher));
    await live.start();
    await dispatcher.deliverEvery(newchannel, { eventId: '1-0', deliveryCount: 1, delivery: 'every' });
    expect(live.sizes()).toMatchObject({ channels: 1, calls: 1 });

    dispatcher.dispatchLifecycle(gap);
    await settle();
    expect(client.lists).toHaveLength(3);
    // The resync found nothing: the channel seen before the gap is gone (Asterisk no longer lists it).
    expect(live.sizes().channels).toBe(0);
    client.emit('login');
    await settle();
    expect(client.lists).toHaveLength(6);

    live.stop();
    dispatcher.dispatchLifecycle(gap);
    client.emit('login');
    await settle();
    expect(client.lists).toHaveLength(6);
  });
});
