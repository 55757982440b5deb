import fc from 'fast-check';
import { AmiClient, type AmiClientOptions } from '../../../lib/client.js';
import { AmiInvalidActionError } from '../../../lib/errors/ami-errors.js';
import type { AmiAction } from '../../../lib/protocol/action-serializer.js';
import {
  isValueSite,
  legalAction,
  POISON_SITES,
  type PoisonSite,
  poison,
  poisonAction,
} from './support/action-arbitraries.js';
import { FuzzTally } from './support/fuzz-settings.js';
import { RecordingAmiServer } from './support/recording-ami-server.js';

const tally = new FuzzTally('client injection');
let server: RecordingAmiServer;

beforeAll(async () => {
  server = await RecordingAmiServer.start();
});
afterAll(async () => {
  await server.close();
  tally.report();
});

const baseOptions = (): AmiClientOptions => ({
  port: server.port,
  username: 'fuzz',
  secret: 'fuzz-secret',
  reconnect: false,
  keepAlive: false,
});

/** Tries to build and connect a client; says what reached the server. */
async function attemptLogin(options: AmiClientOptions): Promise<{ error: unknown; bytes: number }> {
  const bytesBefore = server.bytesReceived;
  let client: AmiClient | undefined;
  let error: unknown;
  try {
    client = new AmiClient(options);
    await client.connect();
  } catch (caught) {
    error = caught;
  } finally {
    client?.destroy();
  }
  await server.drained();
  return { error, bytes: server.bytesReceived - bytesBefore };
}

type Api = 'send' | 'sendList' | 'originate' | 'command';

function call(client: AmiClient, api: Api, action: AmiAction, text: string): Promise<unknown> {
  const { Action: _name, ...params } = action;
  switch (api) {
    case 'send':
      return client.send(action);
    case 'sendList':
      return client.sendList(action);
    case 'originate':
      return client.originate(params, { waitForResult: false });
    case 'command':
      return client.command(text);
  }
}

describe('client, property-based injection refusal', () => {
  it('refuses CR, LF or NUL in the login username or secret before writing anything', async () => {
    await tally.check(
      'login fields refused before writing',
      fc.asyncProperty(
        fc.constantFrom<'plain' | 'md5'>('plain', 'md5'),
        fc.constantFrom<'username' | 'secret'>('username', 'secret'),
        poison,
        async (auth, field, { marker, text }) => {
          const { error, bytes } = await attemptLogin({ ...baseOptions(), auth, [field]: text });
          expect(error).toBeInstanceOf(AmiInvalidActionError);
          expect(bytes).toBe(0);
          expect((error as Error).message).not.toContain(marker);
        },
      ),
      0.25,
    );
  });

  it('refuses CR, LF or NUL in actionIdPrefix before connecting', async () => {
    await tally.check(
      'actionIdPrefix refused before connecting',
      fc.asyncProperty(poison, async ({ text }) => {
        const connectionsBefore = server.connections;
        const { error, bytes } = await attemptLogin({ ...baseOptions(), actionIdPrefix: text });
        expect(error).toBeInstanceOf(AmiInvalidActionError);
        expect(bytes).toBe(0);
        expect(server.connections).toBe(connectionsBefore);
      }),
      0.25,
    );
  });

  it('refuses poisoned actions on a live connection and writes nothing of them', async () => {
    const sessionStart = server.frames.length;
    const client = new AmiClient({ ...baseOptions(), actionIdPrefix: 'fz-' });
    await client.connect();
    try {
      await tally.check(
        'actions refused on a live client',
        fc.asyncProperty(
          legalAction,
          fc.constantFrom<Api>('send', 'sendList', 'originate', 'command'),
          fc.constantFrom(...POISON_SITES),
          poison,
          async ({ action }, api, site: PoisonSite, { marker, text }) => {
            const framesBefore = server.frames.length;
            // Originate writes its own Action header: a poisoned name goes through send() instead.
            const route = api === 'originate' && site === 'Action' ? 'send' : api;
            let refused: unknown;
            try {
              await call(client, route, poisonAction(action, site, text), text);
            } catch (error) {
              refused = error;
            }
            expect(refused).toBeInstanceOf(AmiInvalidActionError);
            if (isValueSite(site) || route === 'command') {
              expect((refused as Error).message).not.toContain(marker);
            }
            // TCP keeps order: once this Ping is answered the server has read all written before it.
            await client.send({ Action: 'Ping' });
            const written = server.frames.slice(framesBefore);
            expect(written.map((frame) => frame.headers[0])).toEqual([['Action', 'Ping']]);
            expect(client.pendingActionCount).toBe(0);
          },
        ),
        0.5,
      );
    } finally {
      await client.disconnect();
    }
    // The whole session: one Login, the Pings, the Logoff; no header smuggled in.
    const session = server.frames.slice(sessionStart);
    const actions = new Set(session.map((frame) => frame.headers[0][1]));
    expect([...actions].sort()).toEqual(['Login', 'Logoff', 'Ping']);
    for (const frame of session) expect(frame.text).not.toMatch(/zz9/);
  });
});
