import { ExitCode, errorLine, exitCodeFor } from '../../../lib/cli/exit-codes.js';
import { CliUsageError } from '../../../lib/cli/usage-error.js';
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiInvalidActionError,
  AmiProtocolError,
  AmiTimeoutError,
} from '../../../lib/errors/ami-errors.js';

describe('exitCodeFor', () => {
  it.each([
    [new CliUsageError('bad flag'), ExitCode.usage],
    [new AmiInvalidActionError('CR in a value'), ExitCode.usage],
    [new AmiConnectionError('refused', 'ECONNREFUSED'), ExitCode.connection],
    [new AmiAuthenticationError('refused'), ExitCode.connection],
    [new AmiProtocolError('no banner'), ExitCode.connection],
    [new AmiDisconnectedError('closed', 'Ping'), ExitCode.connection],
    [new AmiActionError('Nope failed', { Response: 'Error' }, 'Nope'), ExitCode.actionError],
    [new AmiTimeoutError('no answer', 'Ping', 10), ExitCode.actionError],
    [new Error('anything else'), ExitCode.actionError],
  ])('%s exits %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it('uses the documented numbers', () => {
    expect(ExitCode).toEqual({ ok: 0, actionError: 1, usage: 2, connection: 3 });
  });
});

describe('errorLine', () => {
  it('is the message on one line, prefixed, without a stack', () => {
    const error = new AmiConnectionError('127.0.0.1:1: connect ECONNREFUSED\n  at somewhere');
    const line = errorLine(error);
    expect(line).toBe('nestjs-ami: 127.0.0.1:1: connect ECONNREFUSED at somewhere');
    expect(line).not.toContain('\n');
    expect(line).not.toContain('AmiConnectionError');
  });

  it('masks every known secret', () => {
    const line = errorLine(new Error('login with s3cr3t failed (s3cr3t)'), ['s3cr3t', '']);
    expect(line).toBe('nestjs-ami: login with <redacted> failed (<redacted>)');
  });

  it('points usage errors to their help', () => {
    expect(errorLine(new CliUsageError('bad', 'nestjs-ami send --help'))).toBe(
      'nestjs-ami: bad (see: nestjs-ami send --help)',
    );
    expect(errorLine(new CliUsageError('bad'), [], 'nestjs-ami watch --help')).toBe(
      'nestjs-ami: bad (see: nestjs-ami watch --help)',
    );
    expect(errorLine(new AmiConnectionError('refused'), [], 'nestjs-ami watch --help')).toBe(
      'nestjs-ami: refused',
    );
  });

  it("gives a failed Command's output as its reason", () => {
    const response = {
      Response: 'Error',
      Message: 'Command output follows',
      Output: ["No such command 'core show nothing'", ''],
    };
    expect(errorLine(new AmiActionError('Command failed: Command output follows', response, 'Command'))).toBe(
      "nestjs-ami: Command failed: No such command 'core show nothing'",
    );
  });
});
