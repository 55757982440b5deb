import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AmiClient, type AmiEvent } from '../../../lib/client/index.js';
import { credentials, itWithRig } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

// A field typed `string` (not optional) is a promise that Asterisk always sends it. Every event a real
// call produces, and the events the documentation's known exceptions come from, must keep that promise.

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Model {
  events: { name: string; fields: { name: string; present: boolean }[] }[];
  snapshots: { channel_snapshot: { suffix: string; optional: boolean }[] };
}

async function presentFields(): Promise<Map<string, string[]>> {
  const { stdout } = await run(process.execPath, [join(root, 'scripts/generate-ami-types.mjs'), '--json'], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  const model = JSON.parse(stdout) as Model;
  const present = new Map(
    model.events.map((event) => [event.name, event.fields.filter((f) => f.present).map((f) => f.name)]),
  );
  // Typed by hand (lib/types/undocumented-events.ts): a channel snapshot, always there.
  const snapshot = model.snapshots.channel_snapshot.filter((field) => !field.optional);
  present.set(
    'Newexten',
    snapshot.map((field) => field.suffix),
  );
  return present;
}

describe('typed event fields against a live Asterisk 22', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  const received: AmiEvent[] = [];
  client.on('event', (event) => {
    received.push(event);
  });
  beforeAll(() => client.connect());
  afterAll(() => client.disconnect());

  itWithRig(
    'are present whenever their type says so',
    async () => {
      const present = await presentFields();
      const hungUp = nextEvent(client, 'Hangup', (event) =>
        String(event.Channel).startsWith('Local/100@test-'),
      );
      await client.originate({ Channel: 'Local/100@test', Context: 'test', Exten: 'answer', Priority: 1 });
      await hungUp;
      // The cases the documentation does not tell: a global VarSet and a UserEvent sent through AMI.
      const varSet = nextEvent(client, 'VarSet', (event) => event.Variable === 'NESTJS_AMI_TYPES_PROBE');
      await client.send({ Action: 'Setvar', Variable: 'NESTJS_AMI_TYPES_PROBE', Value: '1' });
      await varSet;
      const userEvent = nextEvent(client, 'UserEvent', (event) => event.UserEvent === 'NestjsAmiTypesProbe');
      await client.send({ Action: 'UserEvent', UserEvent: 'NestjsAmiTypesProbe', Ticket: 42 });
      await userEvent;

      const checked = new Set<string>();
      const broken: string[] = [];
      for (const event of received) {
        const fields = present.get(event.Event);
        if (fields === undefined) continue;
        checked.add(event.Event);
        for (const field of fields) {
          if (event[field] === undefined) broken.push(`${event.Event}.${field}`);
        }
      }
      expect([...new Set(broken)]).toEqual([]);
      // The check saw the events of a real call, not an empty stream.
      const expected = [
        'Newchannel',
        'Newexten',
        'DialBegin',
        'Newstate',
        'Hangup',
        'OriginateResponse',
        'VarSet',
        'UserEvent',
      ];
      for (const name of expected) {
        expect(checked).toContain(name);
      }
    },
    90_000,
  );
});
