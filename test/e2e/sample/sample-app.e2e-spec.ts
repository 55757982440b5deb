import { AmiClient } from '../../../lib/index.js';
import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import type { LiveChannel } from '../../../sample/channels/live-channel.js';
import { eventually, type RunningSample, startSample } from '../../unit/sample/support/sample-app.js';
import { asterisk, credentials } from '../support/asterisk-target.js';

interface Originated {
  uniqueid: string;
  channel: string;
  response: string;
  reason: number;
}

// What a deployment sets to point the sample at its Asterisk.
const environment = {
  AMI_HOST: asterisk.host,
  AMI_PORT: String(asterisk.port),
  AMI_USERNAME: asterisk.username,
  AMI_SECRET: asterisk.secret,
};

const channelsOfCall = async (sample: RunningSample, linkedid: string) =>
  (await sample.get<LiveChannel[]>('/channels')).body.filter((channel) => channel.linkedid === linkedid);

describe('the sample app against the real Asterisk', () => {
  let sample: RunningSample;
  beforeAll(async () => {
    sample = await startSample(environment);
  }, 30_000);
  afterAll(() => sample?.close(), 30_000);

  it('says which Asterisk it uses, logs in, and GET /health is up', async () => {
    expect(sample.logger.messages('AmiTarget')).toContain(
      `Using the Asterisk at ${asterisk.host}:${asterisk.port} (user ${asterisk.username})`,
    );
    expect(sample.logger.messages('AmiTarget').join('\n')).not.toContain('simulator');
    const health = await sample.get<{
      status: string;
      info: { ami: { status: string; amiVersion: string } };
    }>('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.info.ami).toMatchObject({ status: 'up', connection: 'default' });
    expect(health.body.info.ami.amiVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('originates through POST /calls, lists the call in GET /channels, then logs it finished', async () => {
    // Local/200@test answers and hangs up with cause 16 after CALL_SECONDS (5 s by default).
    const placed = await sample.post<Originated>('/calls', {
      channel: 'Local/200@test',
      context: 'test',
      exten: 'answer',
      callerId: 'Sample <2001>',
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ response: 'Success', reason: 4 });
    expect(placed.body.channel).toMatch(/^Local\/200@test-[0-9a-f]+;1$/);
    const { uniqueid } = placed.body;

    // The 201 answers the OriginateResponse; the Newstate that marks the channel Up reaches the
    // sample's channel list on its own path, possibly a moment later: wait for the state asserted.
    const live = await eventually(async () => {
      const channels = await channelsOfCall(sample, uniqueid);
      const placedHalf = channels.find((channel) => channel.uniqueid === uniqueid);
      return channels.length === 2 && placedHalf?.state === 'Up' ? channels : undefined;
    }, 'both halves of the call in GET /channels, the placed one Up');
    expect(live.map((channel) => channel.channel).sort()).toEqual([
      placed.body.channel,
      placed.body.channel.replace(/;1$/, ';2'),
    ]);
    expect(live.find((channel) => channel.uniqueid === uniqueid)).toMatchObject({
      state: 'Up',
      callerIdNum: '2001',
      context: 'test',
    });

    const call = await eventually(async () => {
      const log = await sample.get<FinishedCall[]>('/calls');
      return log.body.find((entry) => entry.id === uniqueid);
    }, 'the finished call in GET /calls');
    expect(call).toMatchObject({
      caller: '2001',
      callee: '200@test',
      channel: placed.body.channel,
      dialStatus: 'ANSWER',
      cause: 16,
      causeText: 'Normal Clearing',
    });
    expect(call.answeredAt).not.toBeNull();
    // The dialplan holds the call for CALL_SECONDS (5 s unless the rig sets it otherwise).
    expect(call.durationSeconds).toBeGreaterThanOrEqual(4);
    expect(sample.logger.messages('CallLog')).toContain(
      `Call ${uniqueid}: 2001 -> 200@test, ${call.durationSeconds} s (talk ${call.talkSeconds} s), ANSWER, cause 16 Normal Clearing`,
    );
    // Each half leaves the list on its own Hangup, which may follow the one that finished the call.
    await eventually(
      async () => ((await channelsOfCall(sample, uniqueid)).length === 0 ? true : undefined),
      'both halves of the call gone from GET /channels',
    );
  }, 60_000);

  it('answers 502 with the reason when Asterisk reports the call failed', async () => {
    const answer = await sample.post<{ message: string; reason: number }>('/calls', {
      channel: 'Local/busy@test',
      context: 'test',
      exten: 'answer',
    });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ message: 'The call was not answered: busy', reason: 5 });
  }, 30_000);
});

describe('the sample app started while a call is up', () => {
  let client: AmiClient;
  let sample: RunningSample | undefined;
  let callChannel: string | undefined;
  beforeAll(async () => {
    client = new AmiClient(credentials());
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    await sample?.close();
    // The call would last CALL_SECONDS more: end it so the next suite starts on a quiet PBX.
    if (callChannel !== undefined) {
      await client.send({ Action: 'Hangup', Channel: callChannel }).catch(() => undefined);
    }
    await client.disconnect();
  }, 30_000);

  it('lists the channels that were up before it logged in (CoreShowChannels at login)', async () => {
    const call = await client.originate({
      Channel: 'Local/200@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
    });
    callChannel = String(call.Channel);
    const started = await startSample(environment);
    sample = started;
    const listed = await eventually(async () => {
      const channels = await channelsOfCall(started, String(call.Uniqueid));
      return channels.length === 2 ? channels : undefined;
    }, 'the call placed before the app started, in GET /channels');
    expect(listed.map((channel) => channel.channel)).toContain(call.Channel);
    expect(
      started.logger
        .messages('Channels')
        .some((message) => /^\d+ live channel\(s\) on the PBX$/.test(message)),
    ).toBe(true);
  }, 60_000);
});
