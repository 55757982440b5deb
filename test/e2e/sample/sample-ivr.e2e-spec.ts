import { AmiClient } from '../../../lib/index.js';
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

  it('takes a callback request on 2: it is listed and announced as a UserEvent', async () => {
    const announced = new Promise((resolve) =>
      client.onEvent('UserEvent', (event) => {
        if (event.UserEvent === 'IvrCallbackRequest') resolve(event.Number);
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
    expect(listed).toMatchObject({ number: '5551234', name: 'Ada' });
  }, 60_000);
});
