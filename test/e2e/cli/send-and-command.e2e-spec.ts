import { join } from 'node:path';
import { AmiClient } from '../../../lib/client.js';
import { asterisk, credentials, itWithRig, rig } from '../support/asterisk-target.js';
import { cliEnv, linesOf, requireBuiltCli, runCli } from './cli-process.js';

/** Generous: machines are shared; a bad login alone waits about 1 s on the server. */
const TIMEOUT = 60_000;

describe('nestjs-ami command and send, against the real Asterisk', () => {
  beforeAll(requireBuiltCli);

  it(
    'command prints the output of "core show version"',
    async () => {
      const result = await runCli(['command', 'core show version']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Asterisk 22\.\d+/);
    },
    TIMEOUT,
  );

  it(
    'command joins several words into one CLI command',
    async () => {
      const result = await runCli(['command', 'core', 'show', 'channels', 'count']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/\d+ active channels?/);
    },
    TIMEOUT,
  );

  it(
    'command exits 1 with the reason on one line when the CLI command does not exist',
    async () => {
      const result = await runCli(['command', 'core show nothing-here']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(linesOf(result.stderr)).toEqual([
        expect.stringMatching(/^nestjs-ami: Command failed: No such command/),
      ]);
    },
    TIMEOUT,
  );

  it(
    'send Action=Ping prints the response as Key: Value lines',
    async () => {
      const result = await runCli(['send', 'Action=Ping']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const lines = linesOf(result.stdout);
      expect(lines).toContain('Response: Success');
      expect(lines).toContain('Ping: Pong');
      expect(result.stdout).not.toContain('ActionID');
    },
    TIMEOUT,
  );

  it(
    'send --json prints one JSON document',
    async () => {
      const result = await runCli(['send', '--json', 'Ping']);
      expect(result.code).toBe(0);
      const document = JSON.parse(result.stdout);
      expect(document.response).toMatchObject({ Response: 'Success', Ping: 'Pong' });
      expect(document.events).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'send CoreShowChannels prints the collected list: response, every channel, Complete',
    async () => {
      const caller = new AmiClient({
        ...credentials(),
        reconnect: false,
        keepAlive: false,
        events: ['call'],
      });
      await caller.connect();
      try {
        // Both legs of a Local call stay up for CALL_SECONDS (default 5 s): two channels to list.
        const call = await caller.originate({
          Channel: 'Local/200@test',
          Context: 'test',
          Exten: 'answer',
          Priority: 1,
        });
        // Another test's Local/200 call may still be up (they last CALL_SECONDS): count this call's legs.
        const base = String(call.Channel).slice(0, -2);
        const result = await runCli(['send', 'Action=CoreShowChannels']);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        const blocks = result.stdout.trim().split('\n\n');
        expect(blocks[0]).toContain('EventList: start');
        const items = blocks.filter((block) => block.startsWith('Event: CoreShowChannel\n'));
        expect(items.length).toBeGreaterThanOrEqual(2);
        const legs = items.filter(
          (item) => item.includes(`\nChannel: ${base};1\n`) || item.includes(`\nChannel: ${base};2\n`),
        );
        expect(legs).toHaveLength(2);
        const complete = blocks[blocks.length - 1] as string;
        expect(complete).toMatch(/^Event: CoreShowChannelsComplete\n/);
        expect(complete).toContain(`ListItems: ${items.length}`);
      } finally {
        await caller.send({ Action: 'Hangup', Channel: '/^Local\\/200@test-/' }).catch(() => undefined);
        await caller.disconnect();
      }
    },
    TIMEOUT,
  );

  it(
    'send exits 1 with one line when Asterisk does not know the action',
    async () => {
      const result = await runCli(['send', 'Action=NoSuchActionHere']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(linesOf(result.stderr)).toEqual([
        expect.stringMatching(/^nestjs-ami: NoSuchActionHere failed: Invalid\/unknown command/),
      ]);
    },
    TIMEOUT,
  );

  it(
    'logs in by MD5 challenge with --md5',
    async () => {
      const result = await runCli(['send', '--md5', 'Ping']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Ping: Pong');
    },
    TIMEOUT,
  );

  itWithRig(
    'talks TLS with --tls and --ca, verifying the certificate',
    async () => {
      const ca = join((await rig('root')).trim(), 'etc/asterisk/keys/ca.crt');
      const env = cliEnv({ AMI_PORT: undefined });
      const result = await runCli(
        ['send', '--tls', '--ca', ca, '--port', String(asterisk.tlsPort), 'Ping'],
        env,
      );
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Ping: Pong');
    },
    TIMEOUT,
  );

  itWithRig(
    'refuses a TLS certificate it cannot verify: exit 3',
    async () => {
      const result = await runCli(['send', '--tls', '--port', String(asterisk.tlsPort), 'Ping']);
      expect(result.code).toBe(3);
      expect(linesOf(result.stderr)).toHaveLength(1);
    },
    TIMEOUT,
  );
});
