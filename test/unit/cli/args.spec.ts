import { parseCommandLine, parseInteger, parseSeconds } from '../../../lib/cli/args.js';
import { CliUsageError } from '../../../lib/cli/usage-error.js';

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as Error).message;
  }
  throw new Error('expected a CliUsageError');
}

describe('parseCommandLine', () => {
  it('reads the command, its flags and its positionals', () => {
    expect(
      parseCommandLine(['watch', 'Hangup,Dial*', '--json', '--count', '3', '-o', 'events.jsonl']),
    ).toEqual({
      kind: 'run',
      command: 'watch',
      flags: { json: true, count: '3', out: 'events.jsonl' },
      positionals: ['Hangup,Dial*'],
    });
  });

  it('accepts connection flags before the command name', () => {
    const invocation = parseCommandLine(['--host', 'pbx.example', '-p', '5039', 'send', 'Action=Ping']);
    expect(invocation).toEqual({
      kind: 'run',
      command: 'send',
      flags: { host: 'pbx.example', port: '5039' },
      positionals: ['Action=Ping'],
    });
  });

  it('does not take a flag value for the command name', () => {
    const invocation = parseCommandLine(['--username', 'watch', 'command', 'core', 'show', 'version']);
    expect(invocation).toMatchObject({
      command: 'command',
      flags: { username: 'watch' },
      positionals: ['core', 'show', 'version'],
    });
  });

  it('collects a repeated --exclude', () => {
    const invocation = parseCommandLine(['watch', '--exclude', 'VarSet', '--exclude', 'Newexten,RTCP*']);
    expect(invocation).toMatchObject({ flags: { exclude: ['VarSet', 'Newexten,RTCP*'] } });
  });

  it('treats everything after -- as positionals', () => {
    expect(parseCommandLine(['send', '--', 'Action=Foo', '--json'])).toMatchObject({
      flags: {},
      positionals: ['Action=Foo', '--json'],
    });
  });

  it.each([
    [['--help'], { kind: 'help' }],
    [['-h'], { kind: 'help' }],
    [['help'], { kind: 'help' }],
    [['help', 'send'], { kind: 'help', command: 'send' }],
    [['watch', '--help'], { kind: 'help', command: 'watch' }],
    [['command', '-h'], { kind: 'help', command: 'command' }],
    [['-h', 'send'], { kind: 'help', command: 'send' }],
    [['--version'], { kind: 'version' }],
  ])('%j is %j', (argv, expected) => {
    expect(parseCommandLine(argv)).toEqual(expected);
  });

  it('refuses a missing or unknown command', () => {
    expect(() => parseCommandLine([])).toThrow(CliUsageError);
    expect(usageMessage(() => parseCommandLine(['frobnicate']))).toContain('unknown command "frobnicate"');
    expect(usageMessage(() => parseCommandLine(['help', 'frobnicate']))).toContain(
      'no help for "frobnicate"',
    );
  });

  it('refuses a flag the command does not have, naming the flag', () => {
    expect(usageMessage(() => parseCommandLine(['send', '--count', '3', 'Action=Ping']))).toContain(
      "'--count'",
    );
    expect(usageMessage(() => parseCommandLine(['command', '--json', 'core show version']))).toContain(
      "'--json'",
    );
    expect(usageMessage(() => parseCommandLine(['watch', '--bogus']))).toBe("Unknown option '--bogus'");
  });

  it('refuses a value flag without its value, and a boolean flag given one', () => {
    expect(usageMessage(() => parseCommandLine(['watch', '--count']))).toContain('--count');
    expect(usageMessage(() => parseCommandLine(['watch', '--json=yes']))).toContain('--json');
  });

  it('names the command help in its usage errors', () => {
    try {
      parseCommandLine(['watch', '--bogus']);
      throw new Error('expected a usage error');
    } catch (error) {
      expect((error as CliUsageError).helpTopic).toBe('nestjs-ami watch --help');
    }
  });

  it('never echoes the value of --secret in its errors', () => {
    const message = usageMessage(() => parseCommandLine(['send', '--secret', 'hunter2-value', '--bogus']));
    expect(message).not.toContain('hunter2-value');
  });
});

describe('parseInteger', () => {
  it('reads whole numbers in range', () => {
    expect(parseInteger('5038', '--port', 1, 65_535)).toBe(5038);
    expect(parseInteger(' 7 ', '--count', 1)).toBe(7);
  });

  it.each(['', 'abc', '1.5', '-3', '1e3', '0x10'])('refuses %j', (text) => {
    expect(() => parseInteger(text, '--count', 1)).toThrow(/--count must be a whole number/);
  });

  it('refuses numbers out of range', () => {
    expect(() => parseInteger('0', '--count', 1)).toThrow('--count must be between 1 and');
    expect(() => parseInteger('65536', 'AMI_PORT', 1, 65_535)).toThrow(
      'AMI_PORT must be between 1 and 65535',
    );
  });
});

describe('parseSeconds', () => {
  it('turns seconds, decimals allowed, into milliseconds', () => {
    expect(parseSeconds('10', '--timeout')).toBe(10_000);
    expect(parseSeconds('2.5', '--timeout')).toBe(2_500);
    expect(parseSeconds('0.0001', '--timeout')).toBe(1);
  });

  it.each(['0', '-1', 'abc', '', 'Infinity'])('refuses %j', (text) => {
    expect(() => parseSeconds(text, '--timeout')).toThrow(/--timeout must be a number of seconds above 0/);
  });
});
