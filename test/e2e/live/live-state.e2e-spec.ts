import { jest } from '@jest/globals';
import { AmiClient, type AmiLiveChange, AmiLiveState, liveSourceOf } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import {
  asteriskApplications,
  asteriskQueue,
  asteriskView,
  eventually,
  liveQueue,
  liveView,
  queueShowCallers,
  sizesBesidesParking,
} from './support/asterisk-view.js';

const noChannels = async (client: AmiClient) => {
  await client.send({ Action: 'Hangup', Channel: '/.*/' }).catch(() => undefined);
};

jest.setTimeout(30_000);

describe('AmiLiveState against the real Asterisk 22', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  let live: AmiLiveState;

  beforeAll(async () => {
    await client.connect();
    await noChannels(client);
    live = new AmiLiveState(liveSourceOf(client));
    await live.start();
  });

  afterEach(async () => {
    await client
      .send({ Action: 'QueueRemove', Queue: 'support', Interface: 'Local/agent@test' })
      .catch(() => undefined);
    await noChannels(client);
    await eventually(() =>
      expect(sizesBesidesParking(live)).toMatchObject({ channels: 0, bridges: 0, calls: 0 }),
    );
  });

  afterAll(async () => {
    live.stop();
    await client.disconnect();
  });

  it('is synced at start and equals Asterisk with no call up', async () => {
    expect(live.synced).toBe(true);
    expect(liveView(live)).toEqual(await asteriskView(client));
    expect(live.queue('support')).toMatchObject({
      Queue: 'support',
      Strategy: 'ringall',
      members: [],
      callers: [],
    });
  });

  it('has the channels, the bridge and the call of a bridged call as Asterisk lists them, and nothing after', async () => {
    await client.originate({ Channel: 'Local/bridged@test', Application: 'Wait', Data: '20' });
    await eventually(async () => {
      const view = liveView(live);
      // The call's bridge (a parking lot's empty holding bridge may stand beside it: sizesBesidesParking).
      const occupied = Object.values(view.bridges).filter((members) => members.length > 0);
      expect(occupied).toHaveLength(1);
      expect(occupied[0]).toHaveLength(2);
      expect(view).toEqual(await asteriskView(client));
    });
    const [call] = live.snapshot().calls;
    expect(call?.channels).toHaveLength(4);
    expect(call?.answeredAt).toBeGreaterThanOrEqual(call?.startedAt ?? Infinity);
    // The far end runs Wait(30) from the dialplan: announced by its Newexten.
    await eventually(async () => {
      const farEnd = live
        .snapshot()
        .channels.find((channel) => /^Local\/answer@test-.*;2$/.test(channel.Channel));
      expect(`${farEnd?.Application}(${farEnd?.ApplicationData})`).toBe('Wait(30)');
      expect((await asteriskApplications(client))[farEnd?.Uniqueid ?? '']).toBe('Wait(30)');
    });
    const bridge = live.snapshot().bridges.find((candidate) => candidate.channels.length > 0);
    expect(bridge).toMatchObject({ BridgeType: 'basic', BridgeTechnology: 'simple_bridge' });
    for (const uniqueid of bridge?.channels ?? []) {
      expect(live.channel(uniqueid)?.BridgeUniqueid).toBe(bridge?.BridgeUniqueid);
    }

    await noChannels(client);
    await eventually(async () => {
      expect(sizesBesidesParking(live)).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
      expect(liveView(live)).toEqual(await asteriskView(client));
    });
  });

  it('has the members and the waiting callers of a queue as QueueStatus and `queue show` list them', async () => {
    await client.send({ Action: 'QueueAdd', Queue: 'support', Interface: 'Local/agent@test', Paused: true });
    await client.originate({ Channel: 'Local/queue@test', Application: 'Wait', Data: '20' });
    await client.originate({ Channel: 'Local/queue@test', Application: 'Wait', Data: '20' });
    await eventually(async () => {
      const view = liveQueue(live, 'support');
      expect(view.callers).toHaveLength(2);
      expect(view.members).toHaveLength(1);
      expect(view).toEqual(await asteriskQueue(client, 'support'));
      expect(view.callers.map((caller) => caller.Channel)).toEqual(await queueShowCallers(client, 'support'));
    });
    expect(sizesBesidesParking(live)).toMatchObject({ queueMembers: 1, queueCallers: 2 });

    // The first caller hangs up: the second moves up to position 1.
    const first = live.queue('support')?.callers[0];
    await client.send({ Action: 'Hangup', Channel: first?.Channel ?? '' });
    await eventually(async () => {
      const view = liveQueue(live, 'support');
      expect(view.callers).toHaveLength(1);
      expect(view.callers[0]?.Position).toBe('1');
      expect(view).toEqual(await asteriskQueue(client, 'support'));
    });

    await client.send({ Action: 'QueueRemove', Queue: 'support', Interface: 'Local/agent@test' });
    await noChannels(client);
    await eventually(async () => {
      expect(sizesBesidesParking(live)).toMatchObject({ queueMembers: 0, queueCallers: 0 });
      expect(liveQueue(live, 'support')).toEqual(await asteriskQueue(client, 'support'));
    });
  });

  it('after a reconnection, removes what ended and adds what started while it was away (cause null)', async () => {
    const other = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
    await other.connect();
    try {
      await client.originate({
        Channel: 'Local/200@test',
        Application: 'Wait',
        Data: '20',
        Variable: 'CALL_SECONDS=20',
      });
      await eventually(() => expect(live.sizes().channels).toBe(2));
      const before = new Set(live.snapshot().channels.map((channel) => channel.Uniqueid));
      const changes: AmiLiveChange[] = [];
      const subscription = live.changes$.subscribe((change) => changes.push(change));

      await client.disconnect();
      await noChannels(other);
      await other.originate({ Channel: 'Local/bridged@test', Application: 'Wait', Data: '20' });
      await eventually(async () => expect(Object.keys((await asteriskView(other)).channels)).toHaveLength(4));
      expect(live.sizes().channels).toBe(2);

      await client.connect();
      await eventually(async () => expect(liveView(live)).toEqual(await asteriskView(other)));
      subscription.unsubscribe();
      const channelChanges = changes.filter((change) => change.entity === 'channel');
      expect(
        channelChanges
          .filter((change) => change.kind === 'removed')
          .map((change) => change.id)
          .sort(),
      ).toEqual([...before].sort());
      expect(channelChanges.filter((change) => change.kind === 'added')).toHaveLength(4);
      expect(channelChanges.every((change) => change.cause === null)).toBe(true);
      expect(changes.filter((change) => change.entity === 'bridge' && change.kind === 'added')).toHaveLength(
        1,
      );
    } finally {
      await other.disconnect();
    }
  });
});
