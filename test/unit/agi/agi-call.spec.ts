import { AgiCall } from '../../../lib/agi/agi-call.js';
import { typedEnvironment } from '../../../lib/agi/agi-environment.js';
import { AmiAgiError, AmiAgiHangupError, AmiAgiTimeoutError } from '../../../lib/agi/agi-errors.js';
import { parseAgiReply } from '../../../lib/agi/agi-reply.js';
import type { AgiTransport } from '../../../lib/agi/agi-transport.js';

function setup(timeout = 30_000) {
  const written: string[] = [];
  let ended = 0;
  const transport: AgiTransport = {
    write: (command) => {
      written.push(command);
    },
    end: () => {
      ended++;
    },
  };
  const call = new AgiCall(
    typedEnvironment({ agi_request: 'async', agi_arg_1: 'menu', agi_arg_2: 'x', agi_channel: 'Local/a' }),
    transport,
    timeout,
  );
  const answer = (line: string) => call.receive(parseAgiReply(line) ?? { code: 0, result: '', text: line });
  return { call, written, answer, ended: () => ended };
}

describe('AgiCall', () => {
  it('takes the script and arguments of an AsyncAGI environment', () => {
    const { call } = setup();
    expect(call.script).toBe('menu');
    expect(call.arguments).toEqual(['x']);
  });

  it('sends commands one at a time, in order, and parses their results', async () => {
    const { call, written, answer } = setup();
    const data = call.getData('welcome', { timeout: 5000, maxDigits: 1 });
    const variable = call.getVariable('FOO');
    expect(written).toEqual(['GET DATA "welcome" "5000" "1"']);
    answer('200 result=1');
    await expect(data).resolves.toBe('1');
    expect(written[1]).toBe(`GET FULL VARIABLE "\${FOO}"`);
    answer('200 result=1 (bar)');
    await expect(variable).resolves.toBe('bar');
    const unset = call.getVariable('NOPE');
    answer('200 result=0');
    await expect(unset).resolves.toBeUndefined();
  });

  it('rejects 510, 520 and result=-1 with AmiAgiError', async () => {
    const { call, answer } = setup();
    const unknown = call.raw('NOPE');
    answer('510 Invalid or unknown command');
    await expect(unknown).rejects.toMatchObject({ name: 'AmiAgiError', code: 510 });
    const failed = call.answer();
    answer('200 result=-1');
    answer('200 result=6'); // CHANNEL STATUS: the channel is up, so result=-1 was a plain failure
    await expect(failed).rejects.not.toBeInstanceOf(AmiAgiHangupError);
    await expect(failed).rejects.toBeInstanceOf(AmiAgiError);
    const missing = call.exec('NoSuchApp');
    answer('200 result=-2');
    await expect(missing).rejects.toThrow('application NoSuchApp not found');
  });

  it('tells a result=-1 caused by a hangup apart with CHANNEL STATUS, ahead of queued commands', async () => {
    const { call, written, answer } = setup();
    const stream = call.streamFile('long');
    const queued = call.answer();
    answer('200 result=-1 endpos=100');
    expect(written.at(-1)).toBe('CHANNEL STATUS');
    answer('511 Command Not Permitted on a dead channel or intercepted subroutine');
    await expect(stream).rejects.toBeInstanceOf(AmiAgiHangupError);
    expect(written.at(-1)).toBe('ANSWER');
    answer('511 Command Not Permitted on a dead channel or intercepted subroutine');
    await expect(queued).rejects.toBeInstanceOf(AmiAgiHangupError);
  });

  it('rejects the pending, queued and later commands at once when the channel hangs up', async () => {
    const { call } = setup();
    const first = call.streamFile('long');
    const second = call.sayDigits('123');
    call.hungUp();
    await expect(first).rejects.toBeInstanceOf(AmiAgiHangupError);
    await expect(second).rejects.toBeInstanceOf(AmiAgiHangupError);
    await expect(call.answer()).rejects.toBeInstanceOf(AmiAgiHangupError);
    expect(call.pendingCommandCount).toBe(0);
  });

  it('times a command out with AmiAgiTimeoutError and ends the session', async () => {
    const { call, ended } = setup(20);
    await expect(call.answer()).rejects.toBeInstanceOf(AmiAgiTimeoutError);
    expect(call.isEnded).toBe(true);
    await Promise.resolve();
    expect(ended()).toBe(1);
  });

  it('refuses an injected newline without writing anything', async () => {
    const { call, written } = setup();
    await expect(call.setVariable('A', 'x"\nEXEC System "rm')).rejects.toMatchObject({
      name: 'AmiAgiInvalidCommandError',
    });
    expect(written).toEqual([]);
  });
});
