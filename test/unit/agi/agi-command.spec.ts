import { formatAgiCommand } from '../../../lib/agi/agi-command.js';
import { AmiAgiInvalidCommandError } from '../../../lib/agi/agi-errors.js';
import { parseAgiReply } from '../../../lib/agi/agi-reply.js';

describe('formatAgiCommand', () => {
  it('quotes every argument and escapes quotes and backslashes', () => {
    expect(formatAgiCommand('SET VARIABLE', ['NAME', 'say "hi" \\ bye'])).toBe(
      'SET VARIABLE "NAME" "say \\"hi\\" \\\\ bye"',
    );
  });

  it.each(['x\nEXEC System rm', 'x\rHANGUP', 'x\0'])('refuses %j before anything is written', (value) => {
    expect(() => formatAgiCommand('SET VARIABLE', ['A', value])).toThrow(AmiAgiInvalidCommandError);
  });

  it('drops trailing undefined arguments but keeps inner ones as empty', () => {
    expect(formatAgiCommand('STREAM FILE', ['hello', undefined, 5, undefined])).toBe(
      'STREAM FILE "hello" "" "5"',
    );
  });

  it('refuses a command name that could carry a second command', () => {
    expect(() => formatAgiCommand('ANSWER\nHANGUP')).toThrow(AmiAgiInvalidCommandError);
  });
});

describe('parseAgiReply', () => {
  it('reads result, data and endpos', () => {
    expect(parseAgiReply('200 result=49 (timeout) endpos=8000')).toMatchObject({
      code: 200,
      result: '49',
      data: 'timeout',
      endpos: 8000,
    });
  });

  it('keeps parentheses inside the data', () => {
    expect(parseAgiReply('200 result=1 (a (b) c)')?.data).toBe('a (b) c');
  });

  it('reads error codes without result', () => {
    expect(parseAgiReply('510 Invalid or unknown command')).toMatchObject({ code: 510, result: '' });
  });

  it('is undefined for garbage', () => {
    expect(parseAgiReply('hello')).toBeUndefined();
  });
});
