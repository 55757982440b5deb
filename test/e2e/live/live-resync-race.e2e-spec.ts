import { jest } from '@jest/globals';
import { AmiClient, AmiLiveState, liveSourceOf } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import {
  asteriskView,
  asteriskViewBesidesParking,
  eventually,
  liveView,
  sizesBesidesParking,
} from './support/asterisk-view.js';

jest.setTimeout(120_000);

const CALLS = 150;
const PER_SECOND = 30;

describe('AmiLiveState resyncing while calls come and go on the real Asterisk', () => {
  it('loses no event to a list answer older than it: nothing hung up or destroyed comes back, nothing is left over', async () => {
    const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
    await client.connect();
    const live = new AmiLiveState(liveSourceOf(client));
    let resyncs = 0;
    let calling = true;
    const hungUp = new Set<string>();
    const destroyed = new Set<string>();
    const resurrected = new Set<string>();
    client.onEvent('Hangup', (event) => hungUp.add(String(event.Uniqueid)));
    client.onEvent('BridgeDestroy', (event) => destroyed.add(String(event.BridgeUniqueid)));
    try {
      // A bridge listed now would come from an earlier test's call still being torn down, whose
      // BridgeDestroy may have been sent before this client logged in (then only a later resync could
      // drop it): start from an idle Asterisk.
      await eventually(
        async () =>
          expect(await asteriskViewBesidesParking(client)).toEqual({ channels: {}, bridges: {}, calls: {} }),
        30_000,
      );
      await live.start();
      // Back-to-back resyncs for as long as calls are placed: events keep arriving during every one.
      // After each, no channel whose Hangup, no bridge whose BridgeDestroy was already read may be in
      // the state (a BridgeList answer can be older than a BridgeDestroy read before the resync began).
      const resyncing = (async () => {
        while (calling) {
          await live.resync();
          resyncs += 1;
          for (const channel of live.snapshot().channels) {
            if (hungUp.has(channel.Uniqueid)) resurrected.add(channel.Uniqueid);
          }
          for (const bridge of live.snapshot().bridges) {
            if (destroyed.has(bridge.BridgeUniqueid)) resurrected.add(`bridge ${bridge.BridgeUniqueid}`);
          }
        }
      })();
      const originates: Promise<unknown>[] = [];
      for (let call = 0; call < CALLS; call += 1) {
        originates.push(
          client.originate(
            // Every other call bridged (Dial), so bridges come and go during the resyncs too.
            {
              Channel: call % 2 === 0 ? 'Local/100@test' : 'Local/bridged@test',
              Application: 'Wait',
              Data: '1',
            },
            { waitForResult: false },
          ),
        );
        if (call % PER_SECOND === PER_SECOND - 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      await Promise.all(originates);
      // The last resyncs overlap the last calls: the state must then come right from events alone.
      calling = false;
      await resyncing;
      expect(resyncs).toBeGreaterThan(10);
      expect([...resurrected]).toEqual([]);
      await eventually(async () => expect((await asteriskView(client)).channels).toEqual({}), 30_000);
      await eventually(async () => {
        expect(sizesBesidesParking(live)).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
        expect(liveView(live)).toEqual(await asteriskView(client));
      });
    } finally {
      calling = false;
      live.stop();
      await client.disconnect();
    }
  });
});
