import { jest } from '@jest/globals';
import { AmiClient, AmiLiveState, liveSourceOf } from '../../lib/client.js';
import {
  asteriskView,
  eventually,
  liveView,
  sizesBesidesParking,
} from '../e2e/live/support/asterisk-view.js';
import { credentials } from '../e2e/support/asterisk-target.js';
import { printFigures, recordFigures } from './support/reliability-figures.js';

const CALLS = 2_000;
const PER_SECOND = 40;

jest.setTimeout(600_000);

function settledHeap(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return null;
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Thousands of short real calls, half of them bridged (Dial), at a modest rate: live state must hold
 * only what is live. Afterwards every map is back at zero and equals Asterisk's view.
 */
describe('AmiLiveState over 2,000 real calls', () => {
  it('holds only what is live, and is back at zero when the calls are over', async () => {
    const client = new AmiClient({
      ...credentials(),
      reconnect: false,
      keepAlive: false,
      actionTimeout: 30_000,
    });
    await client.connect();
    await client.send({ Action: 'Hangup', Channel: '/.*/' }).catch(() => undefined);
    const live = new AmiLiveState(liveSourceOf(client));
    const peak = { channels: 0, bridges: 0, calls: 0 };
    let changes = 0;
    const subscription = live.changes$.subscribe(() => {
      changes += 1;
    });
    try {
      await live.start();
      const started = performance.now();
      let heapAfterWarmup: number | null = null;
      for (let call = 0; call < CALLS; call += PER_SECOND) {
        const batch = Array.from({ length: Math.min(PER_SECOND, CALLS - call) }, (_, index) =>
          client.originate(
            {
              Channel: (call + index) % 2 === 0 ? 'Local/100@test' : 'Local/bridged@test',
              Application: 'Wait',
              Data: '1',
            },
            { waitForResult: false },
          ),
        );
        await Promise.all(batch);
        const sizes = live.sizes();
        peak.channels = Math.max(peak.channels, sizes.channels);
        peak.bridges = Math.max(peak.bridges, sizes.bridges);
        peak.calls = Math.max(peak.calls, sizes.calls);
        // The first 10 s warm everything up (JIT, buffers): growth is measured from there.
        if (call === PER_SECOND * 10) heapAfterWarmup = settledHeap();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      await eventually(async () => expect((await asteriskView(client)).channels).toEqual({}), 120_000);
      await eventually(async () => {
        expect(sizesBesidesParking(live)).toMatchObject({
          channels: 0,
          bridges: 0,
          calls: 0,
          queueCallers: 0,
        });
        expect(liveView(live)).toEqual(await asteriskView(client));
      });
      const figures = {
        calls: CALLS,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        peakChannels: peak.channels,
        peakBridges: peak.bridges,
        peakCalls: peak.calls,
        changes,
        sizesAfter: live.sizes(),
        // Only with node --expose-gc: without a collection first the figure is noise.
        ...(heapAfterWarmup === null
          ? {}
          : { heapGrowthAfterWarmupKiB: Math.round(((settledHeap() ?? 0) - heapAfterWarmup) / 1_024) }),
      };
      printFigures('Live state over 2,000 real calls', figures);
      recordFigures('liveState', figures);
      expect(peak.channels).toBeGreaterThan(0);
    } finally {
      subscription.unsubscribe();
      live.stop();
      await client.disconnect();
    }
  });
});
