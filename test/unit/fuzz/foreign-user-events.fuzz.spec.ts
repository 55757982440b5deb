import fc from 'fast-check';
import {
  AmiClient,
  type AmiError,
  type AmiEvent,
  type AmiEventContext,
  firstHeaderValue,
} from '../../../lib/client.js';
import type { FakeAmiConnection } from '../../../lib/testing/fake-ami-connection.js';
import { FakeAmiServer } from '../../../lib/testing/index.js';
import { chunked, foreignUserEvent, OUR_ACTION_ID } from './support/ami-stream-arbitraries.js';
import { FuzzTally } from './support/fuzz-settings.js';

const tally = new FuzzTally('foreign user events');
let server: FakeAmiServer;
let client: AmiClient;
let held: { actionId: string; connection: FakeAmiConnection } | null = null;
const seen: [AmiEvent, AmiEventContext][] = [];
const errors: AmiError[] = [];

beforeAll(async () => {
  server = await FakeAmiServer.start();
  server.onAction('HeldList', (action, connection) => {
    held = { actionId: action.actionId as string, connection };
    return undefined;
  });
  client = new AmiClient({
    port: server.port,
    username: 'admin',
    secret: 'secret',
    reconnect: false,
    keepAlive: false,
    logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
  });
  client.onEvent('*', (event, context) => {
    seen.push([event, context]);
  });
  client.on('error', (error) => errors.push(error));
  await client.connect();
});

afterAll(async () => {
  client.destroy();
  await server.close();
  tally.report();
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('the client and UserEvents built from another session', () => {
  it('never throws, delivers each as a UserEvent not from an action, and every later frame arrives', async () => {
    await tally.check(
      'foreign UserEvents around a pending list',
      fc.asyncProperty(
        fc.array(foreignUserEvent, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        async (userEvents, seed) => {
          seen.length = 0;
          held = null;
          const list = client.sendList({ Action: 'HeldList' });
          await waitFor(() => held !== null);
          const { actionId, connection } = held as unknown as {
            actionId: string;
            connection: FakeAmiConnection;
          };
          let text = `Response: Success\r\nActionID: ${actionId}\r\nEventList: start\r\nMessage: Items will follow\r\n\r\n`;
          userEvents.forEach(({ text: frame }, index) => {
            text += frame.split(OUR_ACTION_ID).join(actionId);
            text += `Event: Item\r\nActionID: ${actionId}\r\nN: ${index}\r\n\r\n`;
          });
          text += `Event: ItemsComplete\r\nActionID: ${actionId}\r\nEventList: Complete\r\nListItems: ${userEvents.length}\r\n\r\n`;
          // Cut anywhere: the frames arrive in one read or in many.
          const [pieces] = fc.sample(chunked(Buffer.from(text, 'utf8')), { numRuns: 1, seed });
          for (const piece of pieces) connection.sendRaw(piece);

          const result = await list;
          expect(result.events.map((event) => event.N)).toEqual(userEvents.map((_, index) => String(index)));
          expect(result.complete?.ListItems).toBe(String(userEvents.length));
          await waitFor(() => seen.length === 2 * userEvents.length + 1);
          const expected: [string, string | undefined, boolean][] = [];
          userEvents.forEach(({ userEvent }, index) => {
            expected.push(['UserEvent', userEvent, false], ['Item', String(index), true]);
          });
          expected.push(['ItemsComplete', undefined, true]);
          expect(
            seen.map(([event, context]) => [
              event.Event,
              event.Event === 'UserEvent' ? firstHeaderValue(event, 'UserEvent') : event.N,
              context.fromAction,
            ]),
          ).toEqual(expected);
          expect(errors).toEqual([]);
          expect(client.isConnected).toBe(true);
        },
      ),
      0.3,
    );
  }, 120_000);
});
