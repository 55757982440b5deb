import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmiClient } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { CliProcess, linesOf, requireBuiltCli } from './cli-process.js';

/** Generous: machines are shared; a bad login alone waits about 1 s on the server. */
const TIMEOUT = 60_000;

const READY = 'watching events';

/** A real call: Local/100 answers, waits 1 s, hangs up with cause 16; two Hangup events follow. */
async function placeCall(caller: AmiClient): Promise<void> {
  await caller.originate({ Channel: 'Local/100@test', Context: 'test', Exten: 'answer', Priority: 1 });
}

/**
 * Waits until Asterisk has no channel up. The tests count the Hangups a watcher prints; a call another
 * suite left running (a Local/200 call lasts CALL_SECONDS) would add its own.
 */
async function untilNoChannels(client: AmiClient, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await client.sendList({ Action: 'CoreShowChannels' });
    if (list.events.length === 0) return;
    if (Date.now() > deadline) throw new Error(`channels still up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('nestjs-ami watch, against the real Asterisk', () => {
  let caller: AmiClient;
  let watcher: CliProcess | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    requireBuiltCli();
    // OriginateResponse is a call-class event: the caller must receive that class.
    caller = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false, events: ['call'] });
    await caller.connect();
  }, TIMEOUT);

  afterAll(async () => {
    await caller?.disconnect();
  }, TIMEOUT);

  beforeEach(() => untilNoChannels(caller), TIMEOUT);

  afterEach(async () => {
    await watcher?.dispose();
    watcher = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it(
    'prints the events named by the patterns, one readable line each, and stops after --count',
    async () => {
      watcher = new CliProcess(['watch', 'hangup', 'dialbegin', '--count', '3']);
      await watcher.waitFor('the ready line', (cli) => cli.stderr.includes(READY));
      await placeCall(caller);
      const { code, stdout, stderr } = await watcher.exited;
      expect(code).toBe(0);
      expect(linesOf(stderr)).toEqual([expect.stringContaining(READY)]);
      const lines = linesOf(stdout);
      expect(lines).toHaveLength(3);
      const names = lines.map((line) => line.split(' ')[1]);
      expect(names.every((name) => name === 'Hangup' || name === 'DialBegin')).toBe(true);
      const hangup = lines.find((line) => line.split(' ')[1] === 'Hangup');
      expect(hangup).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} Hangup Channel=Local\/100@test-\w+;[12] .*Cause=16 Cause-txt="Normal Clearing"$/,
      );
    },
    TIMEOUT,
  );

  it(
    '--json --out: on Ctrl-C it logs off, exits 0, and the file holds every event line printed',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'nestjs-ami-cli-'));
      const file = join(dir, 'events.jsonl');
      watcher = new CliProcess(['watch', '--json', '--out', file, 'Hangup']);
      await watcher.waitFor('the ready line', (cli) => cli.stderr.includes(READY));
      await placeCall(caller);
      const hangups = (cli: CliProcess) =>
        linesOf(cli.stdout).filter((line) => JSON.parse(line).Event === 'Hangup').length;
      await watcher.waitFor('two Hangup lines', (cli) => hangups(cli) >= 2);
      watcher.kill('SIGINT');
      const { code, stdout, stderr } = await watcher.exited;
      expect(code).toBe(0);
      expect(linesOf(stderr)).toEqual([expect.stringContaining(READY)]);

      const printed = linesOf(stdout);
      const recorded = readFileSync(file, 'utf8').split('\n');
      expect(recorded.pop()).toBe('');
      expect(printed.length).toBeGreaterThanOrEqual(2);
      const inFile = new Set(recorded);
      expect(printed.filter((line) => !inFile.has(line))).toEqual([]);
      // The file has every event received, including those the patterns hide from the screen.
      const events = recorded.map((line) => JSON.parse(line));
      expect(
        events.every((event) => typeof event.Event === 'string' && typeof event.receivedAt === 'string'),
      ).toBe(true);
      expect(events.filter((event) => event.Event === 'Hangup')).toHaveLength(2);
      expect(events.filter((event) => event.Event === 'Newchannel').length).toBeGreaterThanOrEqual(2);
      expect(events.filter((event) => event.Event === 'Hangup')[0]).toMatchObject({
        Cause: '16',
        'Cause-txt': 'Normal Clearing',
      });
    },
    TIMEOUT,
  );

  it(
    'stops on SIGTERM with exit code 0',
    async () => {
      watcher = new CliProcess(['watch']);
      await watcher.waitFor('the ready line', (cli) => cli.stderr.includes(READY));
      watcher.kill('SIGTERM');
      const { code, signal } = await watcher.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );
});
