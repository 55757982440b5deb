import { type AmiEvent, AmiLiveState, type AmiService } from '../../../lib/index.js';
import { ChannelRegistry } from '../../../sample/channels/channel-registry.service.js';
import { FakeLiveSource } from '../live/support/fake-live-source.js';
import { channelSnapshot } from './support/channel-snapshot.js';

const newChannel = (channel: string, uniqueid: string): AmiEvent => ({
  Event: 'Newchannel',
  ...channelSnapshot(channel, uniqueid),
});
const listed = (channel: string, uniqueid: string, duration: string): AmiEvent => ({
  Event: 'CoreShowChannel',
  ...channelSnapshot(channel, uniqueid),
  Duration: duration,
});

/** The registry over a real AmiLiveState whose events and lists the test drives. */
async function registryOverLiveState() {
  const source = new FakeLiveSource();
  const live = new AmiLiveState(source);
  const started = live.start();
  await source.answerLists({ channels: [], bridges: [], queues: [] });
  await started;
  return { source, live, registry: new ChannelRegistry({ live } as unknown as AmiService) };
}

describe('ChannelRegistry (the sample, over the library live state)', () => {
  it('lists the live channels in the shape of GET /channels, oldest first', async () => {
    const { source, registry } = await registryOverLiveState();
    source.emit(newChannel('PJSIP/alice-1', '1.0'));
    source.emit(newChannel('PJSIP/bob-2', '2.0'));
    const channels = registry.list();
    expect(channels.map((channel) => channel.channel)).toEqual(['PJSIP/alice-1', 'PJSIP/bob-2']);
    expect(channels[0]).toMatchObject({ uniqueid: '1.0', state: 'Up' });
    expect(Date.parse(channels[0]?.since ?? '')).toBeLessThanOrEqual(Date.now());
  });

  it('tells its listeners the live Uniqueids after each resync, with ages from the list Duration', async () => {
    const { source, live, registry } = await registryOverLiveState();
    const told: string[][] = [];
    registry.onResync((uniqueids) => told.push([...uniqueids].sort()));
    source.emit(newChannel('PJSIP/stale-1', '1.0'));
    const resync = live.resync();
    await source.answerLists({
      channels: [listed('PJSIP/up-1', '1.5', '00:01:05')],
      bridges: [],
      queues: [],
    });
    await resync;
    expect(told).toEqual([['1.5']]);
    const age = Date.now() - Date.parse(registry.list()[0]?.since ?? '');
    expect(age).toBeGreaterThanOrEqual(65_000);
    expect(age).toBeLessThan(125_000);
  });

  it('says what is missing when the connection has no live state', () => {
    const registry = new ChannelRegistry({ live: null } as unknown as AmiService);
    expect(() => registry.list()).toThrow(/live: true/);
  });
});
