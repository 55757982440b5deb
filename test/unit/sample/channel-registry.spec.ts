import type {
  AmiCoreShowChannelEvent,
  AmiHangupEvent,
  AmiNewchannelEvent,
  AmiService,
} from '../../../lib/index.js';
import { ChannelRegistry } from '../../../sample/channels/channel-registry.service.js';
import { channelSnapshot } from './support/channel-snapshot.js';

const newChannel = (channel: string, uniqueid: string): AmiNewchannelEvent => ({
  Event: 'Newchannel',
  ...channelSnapshot(channel, uniqueid),
});
const hangup = (channel: string, uniqueid: string): AmiHangupEvent => ({
  Event: 'Hangup',
  ...channelSnapshot(channel, uniqueid),
  Cause: '16',
  'Cause-txt': 'Normal Clearing',
});
const listed = (channel: string, uniqueid: string, duration: string): AmiCoreShowChannelEvent => ({
  Event: 'CoreShowChannel',
  ...channelSnapshot(channel, uniqueid),
  Duration: duration,
});

/** An AmiService whose CoreShowChannels answers when the test says so. */
function pbxListing() {
  let answer: (items: AmiCoreShowChannelEvent[]) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const ami = {
    sendList: () =>
      new Promise((resolve, reject) => {
        answer = (items) => resolve({ response: {}, events: items, complete: {} });
        fail = reject;
      }),
  } as unknown as AmiService;
  return {
    ami,
    answer: (items: AmiCoreShowChannelEvent[]) => answer(items),
    fail: (error: Error) => fail(error),
  };
}

describe('ChannelRegistry', () => {
  it('rebuilds the list from CoreShowChannels at login, keeping what events changed meanwhile', async () => {
    const pbx = pbxListing();
    const registry = new ChannelRegistry(pbx.ami);
    const told: string[][] = [];
    registry.onResync((live) => told.push([...live].sort()));
    registry.onNewchannel(newChannel('PJSIP/stale-1', '1.0'));

    const resync = registry.resync();
    // While the list is on its way: one channel appears, one listed channel hangs up.
    registry.onNewchannel(newChannel('PJSIP/new-3', '3.0'));
    registry.onHangup(hangup('PJSIP/gone-2', '2.0'));
    pbx.answer([listed('PJSIP/up-1', '1.5', '00:01:05'), listed('PJSIP/gone-2', '2.0', '00:00:01')]);
    await resync;

    const channels = registry.list();
    expect(channels.map((channel) => channel.channel)).toEqual(['PJSIP/up-1', 'PJSIP/new-3']);
    const age = Date.now() - Date.parse(channels[0].since);
    expect(age).toBeGreaterThanOrEqual(65_000);
    expect(age).toBeLessThan(125_000);
    expect(told).toEqual([['1.5', '3.0']]);
  });

  it('keeps the channels it has when the list cannot be read', async () => {
    const pbx = pbxListing();
    const registry = new ChannelRegistry(pbx.ami);
    const told: unknown[] = [];
    registry.onResync((live) => told.push(live));
    registry.onNewchannel(newChannel('PJSIP/alice-1', '1.0'));
    const resync = registry.resync();
    pbx.fail(new Error('ping timeout'));
    await resync;
    expect(registry.list().map((channel) => channel.channel)).toEqual(['PJSIP/alice-1']);
    expect(told).toEqual([]);
  });
});
