import { createServer } from 'node:net';
import { asterisk } from '../support/asterisk-target.js';
import { cliEnv, linesOf, requireBuiltCli, runCli } from './cli-process.js';

/** Generous: machines are shared; a bad login alone waits about 1 s on the server. */
const TIMEOUT = 60_000;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('nestjs-ami exit codes and error lines', () => {
  beforeAll(requireBuiltCli);

  const badSecret = 'not-the-secret-7f3a91';

  it(
    'exits 3 on a refused login, in one line that does not show the secret',
    async () => {
      const result = await runCli(['send', 'Ping'], cliEnv({ AMI_SECRET: badSecret }));
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(linesOf(result.stderr)).toEqual([
        `nestjs-ami: Asterisk refused the login of "${asterisk.username}": Authentication failed`,
      ]);
      expect(result.stderr).not.toContain(badSecret);
    },
    TIMEOUT,
  );

  it(
    'does not show a secret given by --secret either, and warns about the flag',
    async () => {
      const result = await runCli(
        ['command', '--secret', badSecret, 'core show version'],
        cliEnv({ AMI_SECRET: undefined }),
      );
      expect(result.code).toBe(3);
      const lines = linesOf(result.stderr);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain('prefer AMI_SECRET');
      expect(lines[1]).toContain('Authentication failed');
      expect(result.stdout + result.stderr).not.toContain(badSecret);
    },
    TIMEOUT,
  );

  it(
    'exits 3 on a bad secret with --md5 too',
    async () => {
      const result = await runCli(['watch', '--md5'], cliEnv({ AMI_SECRET: badSecret }));
      expect(result.code).toBe(3);
      expect(linesOf(result.stderr)).toEqual([expect.stringContaining('Authentication failed')]);
      expect(result.stdout + result.stderr).not.toContain(badSecret);
    },
    TIMEOUT,
  );

  it(
    'exits 3 in one line when nothing listens on the port',
    async () => {
      const port = await closedPort();
      for (const command of [['send', 'Ping'], ['command', 'core show version'], ['watch']]) {
        const result = await runCli([...command, '--port', String(port)]);
        expect(result.code).toBe(3);
        expect(linesOf(result.stderr)).toEqual([
          `nestjs-ami: 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
        ]);
      }
    },
    TIMEOUT,
  );

  it.each([
    [[], 'a command is needed'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['watch', '--count', '0'], '--count must be between 1'],
    [['watch', '--bogus'], "Unknown option '--bogus'"],
    [['watch', 'Cause=16'], 'is not an event name pattern'],
    [['send'], 'no action'],
    [['send', 'Ping', 'Pong'], '"Pong" is not Key=Value'],
    [['send', 'Ping', 'ActionID=x'], 'ActionID is set by nestjs-ami'],
    [['send', 'Action=Originate', 'Channel=a\rb'], 'would inject AMI headers'],
    [['command'], 'no CLI command'],
    [['command', '--port', 'http', 'core show version'], '--port must be a whole number'],
    [['send', '--ca', '/etc/hostname', 'Ping'], '--ca (or AMI_CA) needs --tls'],
    [['send', '--tls', '--ca', '/nonexistent/ca.crt', 'Ping'], 'cannot read the CA file'],
    [['watch', '--out', '/nonexistent/dir/events.jsonl'], 'cannot open --out file'],
  ])(
    '%j exits 2 with one line saying %j',
    async (args, message) => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = linesOf(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^nestjs-ami: /);
      expect(lines[0]).toContain(message);
    },
    TIMEOUT,
  );

  it(
    'exits 2 when no username is given',
    async () => {
      const result = await runCli(['send', 'Ping'], cliEnv({ AMI_USERNAME: undefined }));
      expect(result.code).toBe(2);
      expect(linesOf(result.stderr)).toEqual([
        'nestjs-ami: no username: set AMI_USERNAME or pass --username (see: nestjs-ami send --help)',
      ]);
    },
    TIMEOUT,
  );

  it.each([
    [['--help'], 'nestjs-ami watch'],
    [['help'], 'nestjs-ami send'],
    [['watch', '--help'], 'Usage: nestjs-ami watch'],
    [['send', '--help'], 'Usage: nestjs-ami send'],
    [['command', '-h'], 'Usage: nestjs-ami command'],
    [['help', 'watch'], 'Usage: nestjs-ami watch'],
  ])(
    '%j prints its help and exits 0',
    async (args, text) => {
      const result = await runCli(args, cliEnv({ AMI_USERNAME: undefined, AMI_SECRET: undefined }));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(text);
      expect(result.stdout).toContain('Exit codes');
    },
    TIMEOUT,
  );

  it(
    '--version prints the package version',
    async () => {
      const result = await runCli(['--version']);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    },
    TIMEOUT,
  );
});
