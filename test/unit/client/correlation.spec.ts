import {
  AmiActionError,
  AmiClient,
  AmiDisconnectedError,
  type AmiEvent,
  AmiInvalidActionError,
  AmiTimeoutError,
} from '../../../lib/client.js';
import type { FakeAmiServer } from '../../../lib/testing/index.js';
import { Harness, listenerCounts, rejectionOf, trackResources, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Answers `Echo` with its own `Value`, so each answer can be told apart. */
function echo(server: FakeAmiServer): void {
  server.onAction('Echo', (action) => ({ Response: 'Success', Echo: action.get('Value') }));
}

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('AmiClient: correlation by ActionID', () => {
  it.each(['reverse', 'shuffle'] as const)(
    '1,000 concurrent actions answered in %s order each get their own answer',
    async (order) => {
      const server = await harness.server();
      echo(server);
      const client = harness.client(server);
      await client.connect();
      server.holdOutput();
      const sent = Array.from({ length: 1_000 }, (_, index) =>
        client.send({ Action: 'Echo', Value: `value-${index}` }),
      );
      await server.waitForAction('Echo', { count: 1_000 });
      expect(server.releaseOutput(order)).toBe(1_000);
      const answers = await Promise.all(sent);
      answers.forEach((answer, index) => {
        expect(answer.Echo).toBe(`value-${index}`);
      });
      expect(new Set(answers.map((answer) => answer.ActionID)).size).toBe(1_000);
      expect(client.pendingActionCount).toBe(0);
    },
    30_000,
  );

  it('10,000 actions leave no pending entry, listener or timer behind', async () => {
    const server = await harness.server();
    echo(server);
    server.onAction('Hang', () => undefined);
    const client = harness.client(server);
    await client.connect();
    const listenersBefore = listenerCounts(client);
    const timeoutsBefore = activeTimeouts();
    const timers = trackResources(['Timeout']);
    try {
      const answered = Array.from({ length: 9_900 }, (_, index) =>
        client.send({ Action: 'Echo', Value: index }),
      );
      const refused = Array.from({ length: 50 }, () => client.send({ Action: 'NoSuchAction' }));
      const timedOut = Array.from({ length: 50 }, () => client.send({ Action: 'Hang' }, { timeout: 100 }));
      expect(client.pendingActionCount).toBe(10_000);
      expect((await Promise.all(answered)).every((answer, index) => answer.Echo === String(index))).toBe(
        true,
      );
      for (const result of await Promise.allSettled(refused)) {
        expect(result.status === 'rejected' && result.reason instanceof AmiActionError).toBe(true);
      }
      for (const result of await Promise.allSettled(timedOut)) {
        expect(result.status === 'rejected' && result.reason instanceof AmiTimeoutError).toBe(true);
      }
      expect(client.pendingActionCount).toBe(0);
      expect(listenerCounts(client)).toEqual(listenersBefore);
      // Ref'd timers only, and a jest worker's own come and go: a coarse check against per-action
      // timers. The tracker below counts every timer the 10,000 actions created, ref'd or not.
      expect(activeTimeouts()).toBeLessThan(timeoutsBefore + 3);
      expect(await timers.leftOver()).toBe(0);
    } finally {
      timers.stop();
    }
  }, 60_000);

  it('a late answer to a timed-out action is dropped and breaks nothing', async () => {
    const server = await harness.server();
    server.onAction('Slow', async () => {
      await server.delay(150);
      return { Response: 'Success', Late: 'yes' };
    });
    const client = harness.client(server);
    await client.connect();
    expect(await rejectionOf(client.send({ Action: 'Slow' }, { timeout: 50 }))).toBeInstanceOf(
      AmiTimeoutError,
    );
    await server.delay(200);
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
    expect(client.pendingActionCount).toBe(0);
  });

  it('an answer whose ActionID names an object property matches no action', async () => {
    const server = await harness.server();
    server.onAction('Slow', async () => {
      await server.delay(1_000);
      return { Response: 'Success' };
    });
    const client = harness.client(server, { actionIdPrefix: '__proto__' });
    await client.connect();
    // No deadline: only a stray answer could settle it, however long the run stalls.
    let settled = false;
    const unanswered = client.send({ Action: 'Slow' }, { timeout: Number.POSITIVE_INFINITY });
    const outcome = unanswered.then(
      () => 'answered',
      (error: unknown) => error,
    );
    void outcome.then(() => {
      settled = true;
    });
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__proto__'])
      server.sendRaw(`Response: Success\r\nActionID: ${id}\r\nPing: Pong\r\n\r\n`);
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
    expect(settled).toBe(false);
    expect(client.pendingActionCount).toBe(1);
    client.destroy();
    expect(await outcome).toBeInstanceOf(AmiDisconnectedError);
    expect(client.pendingActionCount).toBe(0);
  });
});

describe('AmiClient: action timeouts', () => {
  it('each unanswered action fails at its own deadline, never before it, with its own timeout', async () => {
    const server = await harness.server();
    server.onAction('Hang', () => undefined);
    const client = harness.client(server);
    await client.connect();
    const started = performance.now();
    const failedAt = new Map<number, number>();
    // Bumped by a separate timer callback: actions failed by one firing of the client's timer share a
    // turn. After a stall, several deadlines have passed at once and may fail in one firing, in any
    // order; what must hold is that no action fails in an earlier turn than one with an earlier deadline.
    let turn = 0;
    const ticker = setInterval(() => {
      turn += 1;
    }, 1);
    const failedInTurn = new Map<number, number>();
    const timeouts = [400, 100, 300, 50, 200];
    const sent = timeouts.map((timeout) =>
      client.send({ Action: 'Hang' }, { timeout }).catch((error: unknown) => {
        expect(error).toBeInstanceOf(AmiTimeoutError);
        expect((error as AmiTimeoutError).timeoutMs).toBe(timeout);
        failedAt.set(timeout, performance.now() - started);
        failedInTurn.set(timeout, turn);
      }),
    );
    // Answered actions in between move no deadline.
    for (let i = 0; i < 20; i++) await client.send({ Action: 'Ping' });
    await Promise.all(sent);
    clearInterval(ticker);
    for (const [timeout, at] of failedAt) {
      expect(at).toBeGreaterThanOrEqual(timeout - 1);
    }
    const turnsInDeadlineOrder = [...timeouts].sort((a, b) => a - b).map((t) => failedInTurn.get(t) ?? -1);
    expect(turnsInDeadlineOrder).toEqual([...turnsInDeadlineOrder].sort((a, b) => a - b));
    expect(client.pendingActionCount).toBe(0);
  });

  it('short deadlines sent after long ones fail in time, one after the other, the long ones still waiting', async () => {
    const server = await harness.server();
    server.onAction('Hang', () => undefined);
    const client = harness.client(server);
    await client.connect();
    // Far apart, so no stall of the test run can bring the long deadlines forward: if the timer is not
    // armed again for each next deadline, a short action waits for a long one and the test times out.
    const late = client.send({ Action: 'Hang' }, { timeout: 60_000 }).catch((error: unknown) => error);
    const second = client.send({ Action: 'Hang' }, { timeout: 150 });
    const first = client.send({ Action: 'Hang' }, { timeout: 50 });
    const middle = client.send({ Action: 'Hang' }, { timeout: 30_000 }).catch((error: unknown) => error);
    expect(await rejectionOf(first)).toBeInstanceOf(AmiTimeoutError);
    expect(await rejectionOf(second)).toBeInstanceOf(AmiTimeoutError);
    expect(client.pendingActionCount).toBe(2);
    client.destroy();
    expect(await late).toBeInstanceOf(AmiDisconnectedError);
    expect(await middle).toBeInstanceOf(AmiDisconnectedError);
  }, 10_000);

  it('an Infinity timeout never fires: the action waits for its answer', async () => {
    const server = await harness.server();
    server.onAction('Slow', async () => {
      await server.delay(300);
      return { Response: 'Success', Late: 'yes' };
    });
    const client = harness.client(server, { actionTimeout: 100 });
    await client.connect();
    const patient = client.send({ Action: 'Slow' }, { timeout: Number.POSITIVE_INFINITY });
    const hasty = client.send({ Action: 'Slow' });
    expect(await rejectionOf(hasty)).toBeInstanceOf(AmiTimeoutError);
    expect((await patient).Late).toBe('yes');
  });

  it.each([0, -5, Number.NaN])('refuses a timeout of %s before sending anything', async (timeout) => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(client.send({ Action: 'Ping' }, { timeout }));
    expect(error).toBeInstanceOf(AmiInvalidActionError);
    expect(error.message).toContain('timeout must be a positive number');
    expect(server.actions.filter((action) => action.name === 'Ping')).toHaveLength(0);
    expect(client.pendingActionCount).toBe(0);
    expect(() => new AmiClient({ username: 'u', secret: 's', actionTimeout: timeout })).toThrow(
      AmiInvalidActionError,
    );
  });
});

describe('AmiClient: values an 8-bit encoding cannot carry', () => {
  it.each([
    ['latin1', 'Łukasz', 'Zoë'],
    ['ascii', 'Zoë', 'Zoe'],
  ] as const)(
    'with encoding %s, refuses %j before writing, and sends %j',
    async (encoding, refused, sent) => {
      const server = await harness.server();
      echo(server);
      const client = harness.client(server, { encoding });
      await client.connect();
      const error = await rejectionOf(client.send({ Action: 'Echo', Value: refused }));
      expect(error).toBeInstanceOf(AmiInvalidActionError);
      expect(error.message).toContain(`characters ${encoding} cannot carry`);
      expect(error.message).not.toContain(refused);
      await client.send({ Action: 'Echo', Value: sent });
      expect(server.actions.filter((action) => action.name === 'Echo')).toHaveLength(1);
      expect(client.pendingActionCount).toBe(0);
    },
  );
});

describe('AmiClient: event lists', () => {
  it('collects an EventList start ... Complete list (CoreShowChannels of the simulator)', async () => {
    const server = await harness.server({ callDuration: 60_000 });
    const client = harness.client(server);
    await client.connect();
    await client.originate({ Channel: 'Local/100@test', Context: 'test', Exten: 'answer', Priority: 1 });
    const list = await client.sendList({ Action: 'CoreShowChannels' });
    expect(list.response.EventList).toBe('start');
    expect(list.events.map((event) => event.Event)).toEqual(['CoreShowChannel', 'CoreShowChannel']);
    expect(list.events.map((event) => event.Channel)).toEqual([
      expect.stringMatching(/^Local\/100@test-[0-9a-f]{8};1$/),
      expect.stringMatching(/^Local\/100@test-[0-9a-f]{8};2$/),
    ]);
    expect(list.complete?.Event).toBe('CoreShowChannelsComplete');
    expect(list.complete?.ListItems).toBe('2');
  });

  it('collects an empty list', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const list = await client.sendList({ Action: 'CoreShowChannels' });
    expect(list.events).toEqual([]);
    expect(list.complete?.ListItems).toBe('0');
  });

  it('collects the older "will follow" form without EventList headers', async () => {
    const server = await harness.server();
    server.onAction('SIPpeers', () => [
      { Response: 'Success', Message: 'Peer status list will follow' },
      { Event: 'PeerEntry', ObjectName: 'alice' },
      { Event: 'PeerEntry', ObjectName: 'bob' },
      { Event: 'PeerlistComplete', ListItems: 2 },
    ]);
    const client = harness.client(server);
    await client.connect();
    const list = await client.sendList({ Action: 'SIPpeers' });
    expect(list.events.map((event) => event.ObjectName)).toEqual(['alice', 'bob']);
    expect(list.complete?.Event).toBe('PeerlistComplete');
  });

  it('send() of a list action resolves with the response, only once the list is complete', async () => {
    const server = await harness.server();
    server.onAction('Slowlist', async (action, connection) => {
      connection.reply(action, { Response: 'Success', EventList: 'start', Message: 'Items will follow' });
      await server.delay(50);
      connection.reply(action, { Event: 'Item', N: 1 });
      await server.delay(50);
      return { Event: 'SlowlistComplete', EventList: 'Complete', ListItems: 1 };
    });
    const client = harness.client(server);
    await client.connect();
    let completeSeen = false;
    client.onEvent('SlowlistComplete', () => {
      completeSeen = true;
    });
    const response = await client.send({ Action: 'Slowlist' });
    expect(response.Message).toBe('Items will follow');
    expect(completeSeen).toBe(true);
  });

  it('keeps two interleaved lists apart, and other events out of them', async () => {
    const server = await harness.server();
    server.onAction('Numbers', async (action, connection) => {
      const prefix = action.get('Prefix');
      connection.reply(action, { Response: 'Success', EventList: 'start', Message: 'will follow' });
      for (let index = 0; index < 5; index++) {
        await server.delay(5);
        connection.reply(action, { Event: 'Number', Value: `${prefix}${index}` });
        server.emitEvent({ Event: 'Number', Privilege: 'user,all', Value: 'unsolicited' });
      }
      return { Event: 'NumbersComplete', EventList: 'Complete', ListItems: 5 };
    });
    const client = harness.client(server);
    await client.connect();
    const [a, b] = await Promise.all([
      client.sendList({ Action: 'Numbers', Prefix: 'a' }),
      client.sendList({ Action: 'Numbers', Prefix: 'b' }),
    ]);
    expect(a.events.map((event) => event.Value)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(b.events.map((event) => event.Value)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
  });

  it('rejects a list refused by the server with AmiActionError', async () => {
    const server = await harness.server();
    server.onAction('QueueStatus', () => ({ Response: 'Error', Message: 'No such queue' }));
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(client.sendList({ Action: 'QueueStatus', Queue: 'nope' }));
    expect(error).toBeInstanceOf(AmiActionError);
    expect((error as AmiActionError).response.Message).toBe('No such queue');
  });

  it('rejects a list cut by a disconnection with AmiDisconnectedError', async () => {
    const server = await harness.server();
    server.onAction('Endless', (action, connection) => {
      connection.reply(action, [
        { Response: 'Success', EventList: 'start' },
        { Event: 'Item', N: 1 },
      ]);
      server.later(20, () => server.dropConnections());
    });
    const client = harness.client(server);
    await client.connect();
    expect(await rejectionOf(client.sendList({ Action: 'Endless' }))).toBeInstanceOf(AmiDisconnectedError);
  });
});

describe('AmiClient: Originate', () => {
  it('resolves with OriginateResponse Success, after the call events', async () => {
    const server = await harness.server({ callDuration: 60_000 });
    const client = harness.client(server);
    await client.connect();
    const events: AmiEvent[] = [];
    client.onEvent('*', (event) => {
      events.push(event);
    });
    const result = await client.originate({
      Channel: 'Local/100@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
      CallerID: '"Zoë 李" <555>',
    });
    expect(result.Event).toBe('OriginateResponse');
    expect(result.Response).toBe('Success');
    expect(result.Reason).toBe('4');
    expect(result.Channel).toMatch(/^Local\/100@test-[0-9a-f]{8};1$/);
    expect(result.CallerIDName).toBe('Zoë 李');
    expect(server.actions.at(-1)?.get('Async')).toBe('true');
    expect(events.map((event) => event.Event)).toEqual([
      'Newchannel',
      'Newchannel',
      'DialBegin',
      'Newstate',
      'Newstate',
      'DialEnd',
      'OriginateResponse',
    ]);
  });

  it('rejects with AmiActionError carrying the OriginateResponse when it says Failure', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(
      client.originate({ Channel: 'Local/busy@test', Context: 'test', Exten: 'answer', Priority: 1 }),
    );
    expect(error).toBeInstanceOf(AmiActionError);
    const failure = (error as AmiActionError).response;
    expect(failure.Event).toBe('OriginateResponse');
    expect(failure.Response).toBe('Failure');
    expect(failure.Reason).toBe('5');
    expect((error as AmiActionError).action).toBe('Originate');
    expect(error.message).toBe('Originate failed: busy (Reason 5)');
  });

  it('resolves even when the OriginateResponse arrives before the response', async () => {
    const server = await harness.server({ callDuration: 60_000 });
    const client = harness.client(server);
    await client.connect();
    server.holdOutput();
    const result = client.originate({
      Channel: 'Local/100@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
    });
    await server.waitForAction('Originate');
    await waitUntil(() => server.channels.length === 2);
    server.releaseOutput('reverse');
    expect((await result).Response).toBe('Success');
  });

  it('rejects with AmiActionError when the Originate itself is refused', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(client.originate({ Channel: 'nonsense', Exten: '100' }));
    expect(error).toBeInstanceOf(AmiActionError);
    expect((error as AmiActionError).response.Message).toBe('Invalid channel');
  });

  it('with waitForResult: false, resolves with the response of a synchronous Originate', async () => {
    const server = await harness.server({ callDuration: 60_000 });
    const client = harness.client(server);
    await client.connect();
    const response = await client.originate(
      { Channel: 'Local/100@test', Context: 'test', Exten: 'answer', Priority: 1 },
      { waitForResult: false },
    );
    expect(response.Response).toBe('Success');
    expect(response.Message).toBe('Originate successfully queued');
    expect(server.actions.at(-1)?.get('Async')).toBeUndefined();
  });

  it('the simulated call hangs up after callDuration with Cause 16, Normal Clearing', async () => {
    const server = await harness.server({ callDuration: 50 });
    const client = harness.client(server);
    await client.connect();
    const hangups: AmiEvent[] = [];
    client.onEvent('Hangup', (event) => {
      hangups.push(event);
    });
    const answer = await client.originate({
      Channel: 'Local/100@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
    });
    await waitUntil(() => hangups.length === 2);
    expect(hangups.map((event) => [event.Cause, event['Cause-txt']])).toEqual([
      ['16', 'Normal Clearing'],
      ['16', 'Normal Clearing'],
    ]);
    expect(hangups.map((event) => event.Linkedid)).toEqual([answer.Uniqueid, answer.Uniqueid]);
    expect(server.channels).toEqual([]);
  });
});

describe('AmiClient: Command', () => {
  it.each(['output', 'follows'] as const)(
    'returns the output lines in the %s form, blank lines kept',
    async (commandStyle) => {
      const server = await harness.server({ commandStyle });
      server.onCommand('pjsip show endpoints', [
        'Endpoint:  alice',
        '',
        'Endpoint:  bob',
        'Objects found: 2',
      ]);
      const client = harness.client(server);
      await client.connect();
      expect(await client.command('pjsip show endpoints')).toEqual([
        'Endpoint:  alice',
        '',
        'Endpoint:  bob',
        'Objects found: 2',
      ]);
      expect(await client.command('core show version')).toEqual(['Asterisk 22.0.0 (nestjs-ami simulator)']);
    },
  );

  it('returns an empty array for a command without output, in both forms', async () => {
    for (const commandStyle of ['output', 'follows'] as const) {
      const server = await harness.server({ commandStyle });
      server.onCommand('module reload', []);
      const client = harness.client(server);
      await client.connect();
      expect(await client.command('module reload')).toEqual([]);
    }
  });

  it('rejects an unknown command with AmiActionError carrying the output', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(client.command('no such thing'));
    expect(error).toBeInstanceOf(AmiActionError);
    expect((error as AmiActionError).response.Output).toMatch(/No such command 'no such thing'/);
  });
});

describe('the events option', () => {
  it.each<unknown>(['off', 1, [1], null])(
    'refuses %j with a typed error when the client is built',
    (events) => {
      const build = () =>
        new AmiClient({ username: 'u', secret: 's', events: events as boolean | readonly string[] });
      expect(build).toThrow(AmiInvalidActionError);
      expect(build).toThrow(/events must be true, false or a list of event classes/);
    },
  );
});
