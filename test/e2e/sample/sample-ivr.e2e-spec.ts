import { AmiClient } from '../../../lib/index.js';
import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import type { CallbackRequest } from '../../../sample/ivr/callback-requests.service.js';
import { eventually, type RunningSample, startSample } from '../../unit/sample/support/sample-app.js';
import { asterisk, credentials } from '../support/asterisk-target.js';

// The sample IVR on the real Asterisk: Local/async@agi runs AGI(agi:async,main-menu) and the test plays
// digits into the other leg of the Local pair until the menu reads one.
describe('the sample IVR against the real Asterisk', () => {
  let sample: RunningSample;
  let client: AmiClient;
  beforeAll(async () => {
    sample = await startSample({
      AMI_HOST: asterisk.host,
      AMI_PORT: String(asterisk.port),
      AMI_USERNAME: asterisk.username,
      AMI_SECRET: asterisk.secret,
    });
    client = new AmiClient(credentials());
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    await client?.disconnect();
    await sample?.close();
  }, 30_000);

  /** Plays `digit` into the IVR channel until `done` settles (the menu reads digits only once it asks). */
  async function pressUntil(channel: string, digit: string, done: Promise<unknown>): Promise<void> {
    let settled = false;
    void done.then(() => {
      settled = true;
    });
    while (!settled) {
      await client.send({ Action: 'PlayDTMF', Channel: channel, Digit: digit }).catch(() => undefined);
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 300))]);
    }
  }

  it('tells the number of calls in progress on 1, counting calls (Linkedids), not channels', async () => {
    // A call of two channels that lasts while the IVR counts, besides the IVR's own call.
    const other = await client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '20' });
    const said = new Promise<string>((resolve) =>
      client.onEvent('VarSet', (event) => {
        if (event.Variable === 'IVR_CALLS_IN_PROGRESS') resolve(String(event.Value));
      }),
    );
    const origin = await client.originate({
      Channel: 'Local/async@agi',
      Application: 'Wait',
      Data: '30',
      Variable: 'AGI_SCRIPT=main-menu,AGI_ARG=',
    });
    await pressUntil(String(origin.Channel), '1', said);
    const count = Number(await said);
    const channels = await client.sendList({ Action: 'CoreShowChannels' });
    const calls = new Set(channels.events.map((event) => String(event.Linkedid))).size;
    // At least the two calls the test made. Counting channels instead would give at least four (two each);
    // the calls listed now, plus the IVR's own in case it already hung up, bound it from above.
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(calls + 1);
    await client.send({ Action: 'Hangup', Channel: String(other.Channel) }).catch(() => undefined);
    await client.send({ Action: 'Hangup', Channel: String(origin.Channel) }).catch(() => undefined);
  }, 60_000);

  it('takes a callback request on 2: listed, announced as a UserEvent, and its call marked in the call log', async () => {
    let linkedid = '';
    const announced = new Promise((resolve) =>
      client.onEvent('UserEvent', (event) => {
        if (event.UserEvent !== 'IvrCallbackRequest') return;
        linkedid = String(event.Linkedid);
        resolve(event.Number);
      }),
    );
    const origin = await client.originate({
      Channel: 'Local/async@agi',
      Application: 'Wait',
      Data: '30',
      CallerID: '"Ada" <5551234>',
      Variable: 'AGI_SCRIPT=main-menu,AGI_ARG=',
    });
    let done = false;
    void announced.then(() => {
      done = true;
    });
    while (!done) {
      await client
        .send({ Action: 'PlayDTMF', Channel: String(origin.Channel), Digit: '2' })
        .catch(() => undefined);
      await Promise.race([announced, new Promise((resolve) => setTimeout(resolve, 300))]);
    }
    expect(await announced).toBe('5551234');
    const listed = await eventually(async () => {
      const { body } = await sample.get<CallbackRequest[]>('/ivr/callbacks');
      return body.find((request) => request.number === '5551234');
    }, 'the callback request in GET /ivr/callbacks');
    expect(listed).toMatchObject({ number: '5551234', name: 'Ada', linkedid });
    // The IVR hangs up after thanking the caller: the call is logged, marked.
    await client.send({ Action: 'Hangup', Channel: String(origin.Channel) }).catch(() => undefined);
    const logged = await eventually(async () => {
      const { body } = await sample.get<FinishedCall[]>('/calls');
      return body.find((call) => call.id === linkedid);
    }, 'the call in GET /calls');
    expect(logged.callbackRequested).toBe(true);
  }, 60_000);
});
