import { jest } from '@jest/globals';
import { AmiClient, AmiLiveState, liveSourceOf } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { asteriskView, eventually, liveView } from './support/asterisk-view.js';

jest.setTimeout(120_000);

const CALLS = 150;
const PER_SECOND = 30;

describe('AmiLiveState resyncing while calls come and go on the real Asterisk', () => {
  it('loses no event to a list answer older than it: nothing hung up comes back, nothing is left over', async () => {
    const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
    await client.connect();
    const live = new AmiLiveState(liveSourceOf(client));
    let resyncs = 0;
    let calling = true;
    const hungUp = new Set<string>();
    const resurrected = new Set<string>();
    client.onEvent('Hangup', (event) => hungUp.add(String(event.Uniqueid)));
    try {
      await live.start();
      // Back-to-back resyncs for as long as calls are placed: events keep arriving during every one.
      // After each, no channel whose Hangup was already read may be in the state.
      const resyncing = (async () => {
        while (calling) {
          await live.resync();
          resyncs += 1;
          for (const channel of live.snapshot().channels) {
            if (hungUp.has(channel.Uniqueid)) resurrected.add(channel.Uniqueid);
          }
        }
      })();
      const originates: Promise<unknown>[] = [];
      for (let call = 0; call < CALLS; call += 1) {
        originates.push(
          client.originate(
            { Channel: 'Local/100@test', Application: 'Wait', Data: '1' },
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
        expect(live.sizes()).toMatchObject({ channels: 0, bridges: 0, calls: 0 });
        expect(liveView(live)).toEqual(await asteriskView(client));
      });
    } finally {
      calling = false;
      live.stop();
      await client.disconnect();
    }
  });
});
