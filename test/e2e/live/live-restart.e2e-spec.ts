import { jest } from '@jest/globals';
import { AmiClient, type AmiLiveChange, AmiLiveState, liveSourceOf } from '../../../lib/client.js';
import { credentials, itWithRig, rig } from '../support/asterisk-target.js';
import { nextLifecycle } from '../support/wait-for.js';
import { asteriskView, eventually, liveView, sizesBesidesParking } from './support/asterisk-view.js';

jest.setTimeout(120_000);

describe('AmiLiveState across a restart of the real Asterisk', () => {
  itWithRig(
    'removes the calls the restart ended (cause null) and follows new ones after the reconnection',
    async () => {
      const client = new AmiClient({
        ...credentials(),
        reconnect: { initialDelay: 200, maxDelay: 1_000 },
        keepAlive: false,
      });
      await client.connect();
      const live = new AmiLiveState(liveSourceOf(client));
      try {
        await live.start();
        await client.originate({ Channel: 'Local/bridged@test', Application: 'Wait', Data: '60' });
        await eventually(async () => {
          expect(sizesBesidesParking(live)).toMatchObject({ channels: 4, bridges: 1, calls: 1 });
          expect(liveView(live)).toEqual(await asteriskView(client));
        });
        const before = live.snapshot();
        const changes: AmiLiveChange[] = [];
        const subscription = live.changes$.subscribe((change) => changes.push(change));

        const relogin = nextLifecycle(client, 'login', 90_000);
        await rig('restart');
        await relogin;
        await eventually(async () => {
          expect(sizesBesidesParking(live)).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
          expect(liveView(live)).toEqual(await asteriskView(client));
        }, 20_000);
        subscription.unsubscribe();
        const removed = changes.filter((change) => change.kind === 'removed');
        expect(
          removed
            .filter((change) => change.entity === 'channel')
            .map((change) => change.id)
            .sort(),
        ).toEqual(before.channels.map((channel) => channel.Uniqueid).sort());
        expect(
          removed
            .filter((change) => change.entity === 'bridge')
            .map((change) => change.id)
            .sort(),
        ).toEqual(before.bridges.map((bridge) => bridge.BridgeUniqueid).sort());
        // A restart hangs the channels up before closing the session: Hangups or the resync remove them.
        expect(
          removed.every(
            (change) =>
              change.cause === null || /^(Hangup|BridgeDestroy|BridgeLeave)$/.test(change.cause.Event),
          ),
        ).toBe(true);

        await client.originate({ Channel: 'Local/bridged@test', Application: 'Wait', Data: '20' });
        await eventually(async () => {
          expect(sizesBesidesParking(live)).toMatchObject({ channels: 4, bridges: 1, calls: 1 });
          expect(liveView(live)).toEqual(await asteriskView(client));
        });
        await client.send({ Action: 'Hangup', Channel: '/.*/' });
        await eventually(() =>
          expect(sizesBesidesParking(live)).toMatchObject({ channels: 0, bridges: 0, calls: 0 }),
        );
      } finally {
        live.stop();
        await client.disconnect();
      }
    },
  );
});
