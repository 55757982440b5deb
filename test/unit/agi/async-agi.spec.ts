import { EventEmitter } from 'node:events';
import { AmiAgiHangupError } from '../../../lib/agi/agi-errors.js';
import { AmiAsyncAgi } from '../../../lib/agi/async-agi.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';

// The AMI side is a stand-in here: what Asterisk does is tested in test/e2e/agi. This covers what a real
// server will not do on demand: the AMI connection dropping while a command waits.
function fakeConnection() {
  const events = new EventEmitter();
  const lifecycle = new EventEmitter();
  const sent: Array<Record<string, string>> = [];
  return {
    sent,
    emit: (event: AmiEvent) => events.emit(String(event.Event), event),
    drop: () => lifecycle.emit('disconnect'),
    connection: {
      onEvent: (name: string, listener: (event: AmiEvent) => void) => {
        events.on(name, listener);
        return () => events.off(name, listener);
      },
      send: async (action: Record<string, string>) => {
        sent.push(action);
        return { Response: 'Success' } as never;
      },
      on: (name: 'disconnect', listener: () => void) => lifecycle.on(name, listener),
      off: (name: 'disconnect', listener: () => void) => lifecycle.off(name, listener),
    },
  };
}

const env = encodeURIComponent('agi_request: async\nagi_channel: Local/a@agi-1;2\nagi_arg_1: menu\n\n');

describe('AmiAsyncAgi', () => {
  it('sends commands with a CommandID, matches AsyncAGIExec by CommandId and breaks out at the end', async () => {
    const fake = fakeConnection();
    const agi = new AmiAsyncAgi(fake.connection);
    const result = new Promise<unknown>((resolve) => {
      agi.route('menu', async (call) => resolve(await call.getVariable('X')));
    });
    fake.emit({ Event: 'AsyncAGIStart', Channel: 'Local/a@agi-1;2', Env: env } as AmiEvent);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.sent[0]).toMatchObject({
      Action: 'AGI',
      Command: `GET FULL VARIABLE "\${X}"`,
      CommandID: '1',
    });
    fake.emit({
      Event: 'AsyncAGIExec',
      Channel: 'Local/a@agi-1;2',
      CommandId: '1',
      Result: '200%20result%3D1%20(v)%0A',
    } as AmiEvent);
    expect(await result).toBe('v');
    while (agi.activeSessionCount > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(fake.sent.at(-1)).toMatchObject({ Command: 'ASYNCAGI BREAK' });
  });

  it('rejects a waiting command with AmiAgiHangupError when the AMI connection drops', async () => {
    const fake = fakeConnection();
    const agi = new AmiAsyncAgi(fake.connection);
    const outcome = new Promise<unknown>((resolve) => {
      agi.route('menu', async (call) =>
        resolve(await call.streamFile('long').catch((error: unknown) => error)),
      );
    });
    fake.emit({ Event: 'AsyncAGIStart', Channel: 'Local/a@agi-1;2', Env: env } as AmiEvent);
    await new Promise((resolve) => setImmediate(resolve));
    fake.drop();
    expect(await outcome).toBeInstanceOf(AmiAgiHangupError);
    while (agi.activeSessionCount > 0) await new Promise((resolve) => setImmediate(resolve));
    await agi.close(10);
  });
});
