import { connect } from 'node:net';
import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import type { LiveChannel } from '../../../sample/channels/live-channel.js';
import { eventually, type RunningSample, startSample } from './support/sample-app.js';

interface Originated {
  uniqueid: string;
  channel: string;
  response: string;
  reason: number;
}

/** Resolves with the error code when nothing listens on the port, or 'open' when something does. */
const probePort = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(String(error.code)));
  });

describe('the sample app with no Asterisk configured (embedded simulator)', () => {
  let sample: RunningSample;
  let simulatorPort: number;

  beforeAll(async () => {
    sample = await startSample({ SIMULATOR_CALL_SECONDS: '3' });
  }, 30_000);
  afterAll(() => sample?.close(), 30_000);

  it('says on startup that it uses the embedded simulator, and logs in to it', () => {
    const announced = sample.logger
      .messages('AmiTarget')
      .map((message) =>
        /^No AMI_HOST set: using the embedded AMI simulator on 127\.0\.0\.1:(\d+)$/.exec(message),
      )
      .find((match) => match !== null);
    expect(announced).toBeDefined();
    simulatorPort = Number(announced?.[1]);
    expect(sample.logger.messages('Ami')).toContain(`AMI logged in to 127.0.0.1:${simulatorPort} as sample`);
  });

  it('GET /health is up', async () => {
    const health = await sample.get<{ status: string; info: { ami: { status: string } } }>('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      info: { ami: { status: 'up', connection: 'default' } },
    });
  });

  it('POST /calls originates a call; GET /channels lists it; the call log records it when it ends', async () => {
    const placed = await sample.post<Originated>('/calls', {
      channel: 'Local/100@test',
      context: 'test',
      exten: 'answer',
      callerId: 'Alice <1001>',
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ response: 'Success', reason: 4 });
    expect(placed.body.channel).toMatch(/^Local\/100@test-[0-9a-f]+;1$/);
    const { uniqueid } = placed.body;

    const channels = await sample.get<LiveChannel[]>('/channels');
    const ofCall = channels.body.filter((channel) => channel.linkedid === uniqueid);
    expect(ofCall.map((channel) => channel.channel).sort()).toEqual([
      placed.body.channel,
      placed.body.channel.replace(/;1$/, ';2'),
    ]);
    expect(ofCall.every((channel) => channel.state === 'Up')).toBe(true);

    const call = await eventually(async () => {
      const log = await sample.get<FinishedCall[]>('/calls');
      return log.body.find((entry) => entry.id === uniqueid);
    }, 'the finished call in GET /calls');
    expect(call).toMatchObject({
      caller: '1001',
      callee: '100@test',
      channel: placed.body.channel,
      dialStatus: 'ANSWER',
      cause: 16,
      causeText: 'Normal Clearing',
    });
    // The simulated call lasts SIMULATOR_CALL_SECONDS (3 s) from its answer.
    expect(call.durationSeconds).toBeGreaterThanOrEqual(2.9);
    expect(call.talkSeconds).toBeGreaterThanOrEqual(2.9);
    expect(sample.logger.messages('CallLog')).toContain(
      `Call ${uniqueid}: 1001 -> 100@test, ${call.durationSeconds} s (talk ${call.talkSeconds} s), ANSWER, cause 16 Normal Clearing`,
    );

    const after = await sample.get<LiveChannel[]>('/channels');
    expect(after.body.filter((channel) => channel.linkedid === uniqueid)).toEqual([]);
  }, 30_000);

  it('answers 400, naming the field, for a bad request', async () => {
    const answer = await sample.post<{ message: string }>('/calls', { channel: 'nobody', exten: '100' });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('channel must be a dial string such as PJSIP/alice or Local/100@test');
  });

  it('answers 400 with the typed error when a value would inject AMI headers', async () => {
    const answer = await sample.post<{ error: string }>('/calls', {
      channel: 'Local/100@test',
      context: 'test',
      exten: 'answer',
      callerId: 'Alice\r\nAction: Command',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('AmiInvalidActionError');
  });

  it('answers 502 with the reason when the call fails, and logs the call', async () => {
    const answer = await sample.post<{ message: string; reason: number }>('/calls', {
      channel: 'Local/busy@test',
      context: 'test',
      exten: 'answer',
    });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ message: 'The call was not answered: busy', reason: 5 });
    const busy = await eventually(async () => {
      const log = await sample.get<FinishedCall[]>('/calls');
      return log.body.find((entry) => entry.callee === 'busy@test');
    }, 'the busy call in GET /calls');
    expect(busy).toMatchObject({ dialStatus: 'BUSY', cause: 17, answeredAt: null, talkSeconds: 0 });
  }, 30_000);

  it('stops the simulator when the app closes', async () => {
    expect(await probePort(simulatorPort)).toBe('open');
    await sample.close();
    expect(await probePort(simulatorPort)).toBe('ECONNREFUSED');
  });
});
