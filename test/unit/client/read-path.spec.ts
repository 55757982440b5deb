import type { AmiDisconnectInfo, AmiError, AmiEvent, AmiEventContext } from '../../../lib/client.js';
import { AmiDispatcher } from '../../../lib/nest/dispatch/ami-dispatcher.js';
import { bindClientToDispatcher } from '../../../lib/nest/dispatch/client-binding.js';
import type { AmiEventMeta } from '../../../lib/nest/interfaces/ami-event-meta.interface.js';
import { headerValues } from '../../../lib/protocol/ami-message.js';
import { CapturingLogger, Harness, nextEvent, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

const afterFrame = (n: number) => `Event: After\r\nPrivilege: user,all\r\nN: ${n}\r\n\r\n`;

/** Frames of every odd shape a server, or another session through a UserEvent, can send. */
const ODD_FRAMES = [
  // What Asterisk 22 broadcasts for `Action: UserEvent / UserEvent: Boom / Event: Surprise`.
  'Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Boom\r\nActionID: XYZ\r\nEvent: Surprise\r\n\r\n',
  'Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: B\r\nEvent: One\r\nEvent: Two\r\nResponse: Error\r\nResponse: Goodbye\r\nActionID: a\r\nActionID: b\r\nEventList: Complete\r\nOutput: x\r\nOutput: y\r\n\r\n',
  'Event:\r\nPrivilege: user,all\r\n\r\n',
  'Event:    \r\nPrivilege: user,all\r\n\r\n',
  `Event: ${'N'.repeat(5_000)}\r\n${'h'.repeat(3_000)}: v\r\n\r\n`,
  'Event: __proto__\r\nconstructor: x\r\ntoString: y\r\n\r\n',
  'Response: Success\r\nResponse: Error\r\nActionID: nobody\r\nActionID: nobody-else\r\n\r\n',
  'no colon here\r\n\r\n',
];

describe('AmiClient: the read path never throws', () => {
  it('a UserEvent with two Event headers reaches a * listener once, as a UserEvent, and the frames after it arrive', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const seen: [AmiEvent, AmiEventContext][] = [];
    client.onEvent('*', (event, context) => {
      seen.push([event, context]);
    });
    const surprises: AmiEvent[] = [];
    client.onEvent('Surprise', (event) => {
      surprises.push(event);
    });
    server.sendRaw(ODD_FRAMES[0] + afterFrame(1));
    await waitUntil(() => seen.length === 2);
    const [userEvent, context] = seen[0];
    expect(userEvent.Event).toBe('UserEvent');
    expect(userEvent['Event:all']).toEqual(['UserEvent', 'Surprise']);
    expect(headerValues(userEvent, 'Event')).toEqual(['UserEvent', 'Surprise']);
    expect(userEvent.ActionID).toBe('XYZ');
    expect(context).toEqual({ fromAction: false });
    expect(seen[1][0]).toMatchObject({ Event: 'After', N: '1' });
    expect(surprises).toEqual([]);
  });

  it('frames of any shape, in one write, neither throw nor drop the frames after them', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger, traceFrames: true });
    await client.connect();
    const arrived: string[] = [];
    client.onEvent('*', () => undefined);
    client.onEvent('After', (event) => {
      arrived.push(event.N as string);
    });
    const errors: AmiError[] = [];
    client.on('error', (error) => errors.push(error));
    server.sendRaw(ODD_FRAMES.map((frame, index) => frame + afterFrame(index)).join(''));
    await waitUntil(() => arrived.length === ODD_FRAMES.length);
    expect(arrived).toEqual(ODD_FRAMES.map((_, index) => String(index)));
    expect(errors).toEqual([]);
    expect(client.isConnected).toBe(true);
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('a throw while routing one message is reported (error event and logger) and reading goes on', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger });
    await client.connect();
    // Stands for any bug in the routing code: the pending-action table throws on one event.
    const pending = (client as unknown as { pending: { onEvent: (id: string, event: AmiEvent) => boolean } })
      .pending;
    const onEvent = pending.onEvent.bind(pending);
    pending.onEvent = (id, event) => {
      if (event.Event === 'Poison') throw new Error('routing bug');
      return onEvent(id, event);
    };
    const seen: string[] = [];
    client.onEvent('*', (event) => {
      seen.push(event.Event);
    });
    const reported = nextEvent<AmiError>(client, 'error');
    server.sendRaw(`Event: Poison\r\nActionID: x\r\n\r\n${afterFrame(1)}${afterFrame(2)}`);
    const error = await reported;
    expect(error.name).toBe('AmiProtocolError');
    expect(error.message).toContain('routing bug');
    await waitUntil(() => seen.length === 2);
    expect(seen).toEqual(['After', 'After']);
    expect(logger.text).toContain('routing bug');
  });
});

describe('the Nest dispatcher on a client reading odd frames', () => {
  it('hands every frame to @OnAmiEvent handlers, a repeated Event as the UserEvent it is, and a failing observer stops nothing', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger });
    const dispatcher = new AmiDispatcher('default', logger);
    bindClientToDispatcher(client, dispatcher);
    const byStar: [string, AmiEventMeta][] = [];
    const surprises: string[] = [];
    dispatcher.addEventHandler({
      className: 'Test',
      methodName: 'all',
      events: ['*'],
      options: {},
      invoke: ([event, meta]) => {
        byStar.push([(event as AmiEvent).Event, meta as AmiEventMeta]);
      },
    });
    dispatcher.addEventHandler({
      className: 'Test',
      methodName: 'surprise',
      events: ['surprise'],
      options: {},
      invoke: ([event]) => {
        surprises.push((event as AmiEvent).Event);
      },
    });
    dispatcher.observe('*', () => {
      throw new Error('observer bug');
    });
    dispatcher.markReady();
    await client.connect();
    server.sendRaw(ODD_FRAMES.map((frame, index) => frame + afterFrame(index)).join(''));
    await waitUntil(() => byStar.filter(([name]) => name === 'After').length === ODD_FRAMES.length);
    const odd = byStar.slice(byStar.findIndex(([name]) => name === 'UserEvent'));
    expect(odd.map(([name]) => name)).toEqual(
      ['UserEvent', 'UserEvent', '', '   ', 'N'.repeat(5_000), '__proto__']
        .flatMap((name) => [name, 'After'])
        .concat(['After', 'After']),
    );
    expect(byStar.every(([, meta]) => meta.fromAction === false)).toBe(true);
    expect(surprises).toEqual([]);
    expect(logger.text).toContain('observer bug');
  });
});

describe('AmiClient: only our own Logoff ends the session for good', () => {
  it.each([
    ['without an ActionID', 'Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n'],
    ['answering no action of ours', 'Response: Goodbye\r\nActionID: nobody-1\r\n\r\n'],
  ])('a stray Goodbye %s leaves reconnection on', async (_, goodbye) => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 10, maxDelay: 20 } });
    await client.connect();
    server.sendRaw(goodbye);
    // TCP keeps order: once this Ping is answered the Goodbye was read.
    await client.send({ Action: 'Ping' });
    expect(client.willReconnect).toBe(true);
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    server.dropConnections();
    expect(await disconnected).toMatchObject({ reason: 'closed', willReconnect: true });
    await server.waitForLogins(2);
  });

  it('the Goodbye answering our own Logoff does end it', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 10, maxDelay: 20 } });
    await client.connect();
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    expect((await client.send({ Action: 'Logoff' })).Response).toBe('Goodbye');
    expect(await disconnected).toMatchObject({ reason: 'logoff', willReconnect: false });
    expect(client.willReconnect).toBe(false);
  });
});

describe('AmiClient: destroy() or disconnect() from a listener stops delivery at once', () => {
  it.each(['destroy', 'disconnect'] as const)(
    '%s() on the 2nd of 5 events written at once: no later event reaches any listener',
    async (stop) => {
      const server = await harness.server();
      const client = harness.client(server);
      await client.connect();
      const byStar: string[] = [];
      const byName: string[] = [];
      client.onEvent('After', (event) => {
        byName.push(event.N as string);
        if (event.N === '2') void client[stop]();
      });
      client.onEvent('*', (event) => {
        byStar.push(event.N as string);
      });
      server.sendRaw([1, 2, 3, 4, 5].map(afterFrame).join(''));
      await waitUntil(() => client.state === 'disconnected');
      expect(byName).toEqual(['1', '2']);
      // The * listeners of the event being delivered still run; nothing after it does.
      expect(byStar.filter((n) => n > '2')).toEqual([]);
    },
  );
});
