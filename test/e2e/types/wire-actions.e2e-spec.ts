import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AmiAction, AmiActionError, AmiClient } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

// The parameters the documentation marks optional but Asterisk 22 refuses an action without: each
// correction the generator applies (scripts/ami-types/overrides.mjs, requiredActionParams) is proved here
// on a live call, and the action it describes succeeds once the parameter is given.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Corrections {
  requiredActionParams: Record<string, string[]>;
}

async function requiredActionParams(): Promise<Record<string, string[]>> {
  const url = pathToFileURL(join(root, 'scripts/ami-types/overrides.mjs')).href;
  const { WIRE_CORRECTIONS } = (await import(url)) as { WIRE_CORRECTIONS: Corrections };
  return WIRE_CORRECTIONS.requiredActionParams;
}

interface Case {
  /** The whole action, as the corrected type requires it. */
  action: AmiAction;
  list?: true;
  /** The error Asterisk answers for each parameter left out. */
  refusals: Record<string, RegExp>;
}

describe('action parameters Asterisk 22 requires', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  beforeAll(() => client.connect());
  afterAll(() => client.disconnect());

  const send = (action: AmiAction, list?: true) => (list ? client.sendList(action) : client.send(action));
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof AmiActionError ? String(error.response.Message) : error),
    );

  it('are refused without, and accepted with, each parameter the generator marks required', async () => {
    // A call bridged by Dial(): the near end runs Wait(), the far end (;2) is in the bridge.
    const bridged = nextEvent(client, 'BridgeEnter', (e) => String(e.Channel).startsWith('Local/bridged@'));
    const { Channel: near } = await client.originate({
      Channel: 'Local/bridged@test',
      Application: 'Wait',
      Data: '20',
    });
    const far = String(near).replace(/;1$/, ';2');
    await bridged;
    try {
      await client.send({ Action: 'MixMonitor', Channel: String(near), File: `required-${process.pid}.wav` });
      const cases: Case[] = [
        {
          action: { Action: 'MixMonitorMute', Channel: String(near), Direction: 'both', State: 1 },
          refusals: { Direction: /: No direction specified/, State: /: No state specified/ },
        },
        {
          action: { Action: 'CoreShowChannelMap', Channel: String(near) },
          list: true,
          refusals: { Channel: /requires a channel/ },
        },
        // Filters this session's events from here on: nothing after it needs VarSet.
        {
          action: { Action: 'Filter', Operation: 'Add', Filter: '!Event: VarSet' },
          refusals: { Operation: /: Unknown operation$/ },
        },
        // Last: a successful transfer moves the far end out of the bridge.
        {
          action: { Action: 'BlindTransfer', Channel: far, Context: 'test', Exten: 'answer' },
          refusals: { Exten: /: No extension specified/ },
        },
      ];
      const corrected = await requiredActionParams();
      expect(Object.fromEntries(cases.map((c) => [c.action.Action, Object.keys(c.refusals)]))).toEqual(
        corrected,
      );
      for (const { action, list, refusals } of cases) {
        for (const [param, message] of Object.entries(refusals)) {
          const { [param]: _left, ...without } = action;
          expect(
            `${action.Action} without ${param}: ${await refusal(send(without as AmiAction, list))}`,
          ).toMatch(message);
        }
        expect(`${action.Action}: ${await refusal(send(action, list))}`).toBe(`${action.Action}: accepted`);
      }
    } finally {
      await client.send({ Action: 'Hangup', Channel: String(near) }).catch(() => undefined);
    }
  }, 60_000);
});
