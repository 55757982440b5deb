import {
  type AmiCallSummary,
  AmiCallTracker,
  AmiClient,
  type AmiTrackedCall,
  liveSourceOf,
} from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';
import { localCall, progressKinds } from './support/tracked.js';

// track(): calls the tracker did not place, here placed by another AMI session with a plain Originate.
describe('AmiCallTracker.track on the real Asterisk', () => {
  const options = { ...credentials(), reconnect: false, keepAlive: false };
  const caller = new AmiClient(options);
  const client = new AmiClient(options);
  const tracker = new AmiCallTracker(liveSourceOf(client));

  beforeAll(async () => {
    await Promise.all([caller.connect(), client.connect()]);
    tracker.start();
  });
  afterAll(async () => {
    tracker.stop();
    await Promise.all([caller.disconnect(), client.disconnect()]);
  });

  it('follows a call named by a Newchannel listener, as an application does for inbound calls', async () => {
    const id = `inbound-${Date.now()}`;
    let stop = () => {};
    const named = new Promise<AmiTrackedCall>((resolve) => {
      stop = client.onEvent('Newchannel', (event) => {
        if (event.Uniqueid === id) resolve(tracker.track(id));
      });
    });
    await caller.originate(localCall('talk', { ChannelId: id, OtherChannelId: `${id}-2` }));
    const call = await named;
    stop();
    const summary = await call.finished;
    expect(summary).toMatchObject({
      uniqueid: id,
      linkedid: id,
      outcome: 'answered',
      from: '1001',
      cause: '16',
    });
    expect(summary.talkTimeMs).toBeGreaterThan(0);
    expect(tracker.size).toBe(0);
  }, 20_000);

  it('follows a call already up, found in the channel list, by its Linkedid or a second channel', async () => {
    const id = `up-${Date.now()}`;
    // The call is answered (OriginateResponse Success) before track() is called.
    await caller.originate(
      localCall('talk', { ChannelId: id, OtherChannelId: `${id}-2`, Variable: 'CALL_SECONDS=2' }),
    );
    const byLinkedid = tracker.track(id);
    const bySecond = tracker.track(`${id}-2`);
    const [first, second] = await Promise.all([byLinkedid.finished, bySecond.finished]);
    expect(first).toMatchObject({ uniqueid: id, linkedid: id, outcome: 'answered', cause: '16' });
    expect(second).toMatchObject({ uniqueid: `${id}-2`, linkedid: id, outcome: 'answered', cause: '16' });
    expect(await progressKinds(byLinkedid)).toEqual(['dialing', 'answered', 'hangup']);
    // Its start comes from the channel's age in the list (whole seconds): at least the 2 s of talk before.
    expect(first.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(tracker.size).toBe(0);
  }, 20_000);

  it('rejects with AmiCallNotFoundError for an id Asterisk does not have', async () => {
    const call = tracker.track('no-such-call');
    await expect(call.finished).rejects.toMatchObject({
      name: 'AmiCallNotFoundError',
      uniqueid: 'no-such-call',
    });
    expect(tracker.size).toBe(0);
  }, 20_000);

  it('with trackAll, ends every call it saw begin in finished$, and keeps nothing after', async () => {
    const all = new AmiCallTracker(liveSourceOf(client), { trackAll: true });
    all.start();
    const finished: AmiCallSummary[] = [];
    all.finished$.subscribe((summary) => finished.push(summary));
    const ids = [`all-a-${Date.now()}`, `all-b-${Date.now()}`];
    const lastHangups = ids.map((id) => nextEvent(client, 'Hangup', (event) => event.Uniqueid === id));
    await Promise.allSettled([
      caller.originate(localCall('talk', { ChannelId: ids[0], OtherChannelId: `${ids[0]}-2` })),
      caller.originate(localCall('busy', { ChannelId: ids[1], OtherChannelId: `${ids[1]}-2` })),
    ]);
    await Promise.all(lastHangups);
    await new Promise<void>((resolve) => {
      const check = () =>
        ids.every((id) => finished.some((call) => call.uniqueid === id)) ? resolve() : setTimeout(check, 20);
      check();
    });
    expect(finished.find((call) => call.uniqueid === ids[0])).toMatchObject({ outcome: 'answered' });
    expect(finished.find((call) => call.uniqueid === ids[1])).toMatchObject({ outcome: 'busy', cause: '17' });
    expect(all.size).toBe(0);
    all.stop();
  }, 20_000);
});
