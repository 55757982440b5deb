import { connect } from 'node:net';
import {
  AmiClient,
  AmiInvalidActionError,
  type AmiUserEvent,
  defineAmiUserEvent,
  firstHeaderValue,
} from '../../../lib/client.js';
import { asterisk, credentials } from '../support/asterisk-target.js';

type Callback = { Number: string; Queue?: string; Note?: string };
const CallbackRequested = defineAmiUserEvent<Callback>('CallbackRequested');
const Other = defineAmiUserEvent<{ X: string }>('SomethingElse');

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('typed UserEvents on Asterisk 22', () => {
  let sender: AmiClient;
  let receiver: AmiClient;
  beforeEach(async () => {
    sender = new AmiClient({ ...credentials(), keepAlive: false });
    receiver = new AmiClient({ ...credentials(), keepAlive: false });
    await Promise.all([sender.connect(), receiver.connect()]);
  });
  afterEach(async () => {
    await Promise.all([sender.disconnect(), receiver.disconnect()]);
  });

  it('one client sends it, another receives it typed, with its fields as sent (UTF-8 included)', async () => {
    const received: AmiUserEvent<Callback>[] = [];
    receiver.onUserEvent(CallbackRequested, (event) => {
      received.push(event);
    });
    const others: string[] = [];
    receiver.onUserEvent(Other, (event) => {
      others.push(event.X);
    });
    const tag = `${Date.now()}`;
    await sender.userEvent(Other, { X: tag });
    const response = await sender.userEvent(CallbackRequested, {
      Number: '100',
      Queue: 'support',
      Note: `é ${tag}`,
    });
    expect(response.Response).toBe('Success');
    await until(() => received.length === 1 && others.length === 1, 'both UserEvents');
    const [event] = received;
    expect(event.Event).toBe('UserEvent');
    expect(firstHeaderValue(event, 'UserEvent')).toBe('CallbackRequested');
    expect([event.Number, event.Queue, event.Note]).toEqual(['100', 'support', `é ${tag}`]);
    expect(others).toEqual([tag]);
  });

  it('a value with CR/LF is refused before anything is written: no injected action reaches Asterisk', async () => {
    // A raw session sees what Asterisk broadcasts: an injected UserEvent would show up there.
    const raw = connect({ host: asterisk.host, port: asterisk.port });
    let text = '';
    raw.setEncoding('utf8');
    raw.on('data', (chunk: string) => {
      text += chunk;
    });
    raw.write(
      `Action: Login\r\nActionID: raw\r\nUsername: ${asterisk.username}\r\nSecret: ${asterisk.secret}\r\nEvents: user\r\n\r\n`,
    );
    await until(() => text.includes('Authentication accepted'), 'raw login');
    const injected = { Number: '1\r\n\r\nAction: UserEvent\r\nUserEvent: Injected' };
    await expect(sender.userEvent(CallbackRequested, injected)).rejects.toBeInstanceOf(AmiInvalidActionError);
    await expect(sender.userEvent(CallbackRequested, { Number: '1\nX: 2' })).rejects.toBeInstanceOf(
      AmiInvalidActionError,
    );
    const ActionField = { Number: '1', ActionID: 'x' } as unknown as Callback;
    await expect(sender.userEvent(CallbackRequested, ActionField)).rejects.toBeInstanceOf(
      AmiInvalidActionError,
    );
    // The next one arrives, alone: nothing of the refused ones was written.
    await sender.userEvent(CallbackRequested, { Number: 'after' });
    await until(() => text.includes('Number: after'), 'the UserEvent sent after the refused ones');
    expect(text).not.toContain('Injected');
    expect(text.match(/UserEvent: CallbackRequested/g)).toHaveLength(1);
    raw.end('Action: Logoff\r\n\r\n');
    await expect(sender.send({ Action: 'Ping' })).resolves.toMatchObject({ Ping: 'Pong' });
  });
});
