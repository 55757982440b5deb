import { connect, type Socket } from 'node:net';
import {
  AmiActionError,
  AmiClient,
  type AmiError,
  type AmiEvent,
  type AmiEventContext,
  firstHeaderValue,
  headerValues,
} from '../../../lib/client.js';
import { asterisk, credentials } from '../support/asterisk-target.js';

/**
 * A second AMI session written by hand, as any other program logged in to the same Asterisk could: it
 * sends `Action: UserEvent` with whatever headers it likes, and Asterisk broadcasts them to every session.
 */
class ForeignSession {
  private text = '';
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
    });
  }

  static async logIn(): Promise<ForeignSession> {
    const socket = connect({ host: asterisk.host, port: asterisk.port });
    const session = new ForeignSession(socket);
    // Events off: this session only sends.
    socket.write(
      `Action: Login\r\nActionID: foreign-login\r\nUsername: ${asterisk.username}\r\n` +
        `Secret: ${asterisk.secret}\r\nEvents: off\r\n\r\n`,
    );
    await session.waitFor(/ActionID: foreign-login\r\nMessage: Authentication accepted/);
    return session;
  }

  write(frames: string): void {
    this.socket.write(frames);
  }

  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.text)) {
      if (Date.now() > deadline) throw new Error(`foreign session: no ${pattern} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.end('Action: Logoff\r\n\r\n');
  }
}

/** `Action: UserEvent` with the sender's own headers, as raw lines (repeats allowed). */
const userEventAction = (name: string, headers: string[] = []) =>
  `Action: UserEvent\r\nUserEvent: ${name}\r\n${headers.map((header) => `${header}\r\n`).join('')}\r\n`;

describe('UserEvents that another session makes Asterisk 22 broadcast', () => {
  let client: AmiClient | undefined;
  let foreign: ForeignSession | undefined;
  afterEach(async () => {
    foreign?.close();
    await client?.disconnect();
  });

  it('neither crash the process nor settle our actions; each arrives once as a UserEvent, and what follows arrives', async () => {
    const base = credentials();
    // Our ActionIDs, read from our own frame trace: the other session copies them into its UserEvents.
    const sent: { action: string; id: string }[] = [];
    const logger = {
      ...base.logger,
      debug: (message: string, ...rest: unknown[]) => {
        const frame = /^AMI -> (.*)$/.exec(message);
        if (frame !== null) {
          const { Action, ActionID } = JSON.parse(frame[1]) as { Action: string; ActionID: string };
          sent.push({ action: Action, id: ActionID });
        }
        base.logger.debug?.(message, ...rest);
      },
    };
    client = new AmiClient({ ...base, logger, reconnect: false, keepAlive: false });
    const seen: [AmiEvent, AmiEventContext][] = [];
    client.onEvent('*', (event, context) => {
      seen.push([event, context]);
    });
    const errors: AmiError[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();
    foreign = await ForeignSession.logIn();
    const idOf = (action: string) => sent.filter((entry) => entry.action === action).at(-1)?.id as string;

    // Pending while the UserEvents come: a call that rings for 3 s and then fails, one that answers...
    const ringing = client.originate({
      Channel: 'Local/ring@test',
      Application: 'Wait',
      Data: '1',
      Timeout: 3_000,
    });
    const ringingId = idOf('Originate');
    const answered = client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1' });
    const answeredId = idOf('Originate');
    // ...and lists, each with UserEvents carrying its ActionID written at once after it.
    const lists = [];
    let frames = '';
    for (let round = 0; round < 5; round++) {
      lists.push(client.sendList({ Action: 'CoreShowChannels' }));
      frames += userEventAction(`List${round}`, [
        `ActionID: ${idOf('CoreShowChannels')}`,
        'Event: CoreShowChannelsComplete',
        'EventList: Complete',
        'ListItems: 0',
        'Response: Error',
        'Message: crafted',
        'Output: crafted',
      ]);
    }
    frames += userEventAction('Boom', ['Event: Surprise']);
    frames += userEventAction('FakeAnswer', [
      `ActionID: ${ringingId}`,
      'Event: OriginateResponse',
      'Response: Success',
      'Reason: 4',
    ]);
    frames += userEventAction('FakeFailure', [
      `ActionID: ${answeredId}`,
      'Event: OriginateResponse',
      'Response: Failure',
      'Reason: 5',
    ]);
    frames += userEventAction('Marker');
    foreign.write(frames);

    const userEvents = () => seen.filter(([event]) => event.Event === 'UserEvent');
    const names = () => userEvents().map(([event]) => firstHeaderValue(event, 'UserEvent'));
    const deadline = Date.now() + 10_000;
    while (!names().includes('Marker') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

    expect(names()).toEqual([
      'List0',
      'List1',
      'List2',
      'List3',
      'List4',
      'Boom',
      'FakeAnswer',
      'FakeFailure',
      'Marker',
    ]);
    for (const [, context] of userEvents()) expect(context).toEqual({ fromAction: false });
    const boom = userEvents()[5][0];
    expect(headerValues(boom, 'Event')).toEqual(['UserEvent', 'Surprise']);
    // Asterisk did copy the sender's ActionID (ours) into the UserEvents, after its own Event header.
    const fakeAnswer = userEvents()[6][0];
    expect(fakeAnswer.ActionID).toBe(ringingId);
    expect(headerValues(fakeAnswer, 'Event')).toEqual(['UserEvent', 'OriginateResponse']);
    // The crafted OriginateResponse did not answer the ringing call: it is still pending.
    expect(client.pendingActionCount).toBeGreaterThanOrEqual(1);

    for (const list of await Promise.all(lists)) {
      expect(list.complete?.Event).toBe('CoreShowChannelsComplete');
      expect(list.complete?.ListItems).toBe(String(list.events.length));
      for (const item of list.events) expect(item.Event).toBe('CoreShowChannel');
    }
    const answer = await answered;
    expect(answer).toMatchObject({ Event: 'OriginateResponse', Response: 'Success', ActionID: answeredId });
    const failure = await ringing.then(
      () => new Error('the ringing call resolved'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AmiActionError);
    expect((failure as AmiActionError).response).toMatchObject({
      Event: 'OriginateResponse',
      Response: 'Failure',
      ActionID: ringingId,
    });
    // Only our own answers were marked as answering our actions.
    for (const [event, context] of seen) {
      if (context.fromAction) expect(event.Event).not.toBe('UserEvent');
    }
    expect(errors).toEqual([]);
    expect(client.isConnected).toBe(true);
  }, 30_000);
});
