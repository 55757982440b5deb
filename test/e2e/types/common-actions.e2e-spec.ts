import {
  AmiActionError,
  AmiClient,
  coreShowChannels,
  dbDel,
  dbGet,
  dbPut,
  getVar,
  hangup,
  pjsipShowEndpoints,
  queueStatus,
  queueSummary,
  redirect,
  setVar,
} from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

// The common-action helpers against the rig's Asterisk 22 (test/asterisk/etc: dialplan context `test`,
// PJSIP endpoints alice and bob, queue `support` without static members).

describe('common actions against a live Asterisk 22', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  const family = `nestjs-ami-types-${process.pid}`;
  /** Channels this file originated: hung up after each test. */
  const calls: string[] = [];

  /** Originates `Local/<exten>@test` whose far end answers; resolves with the near channel's name. */
  async function call(exten: string): Promise<string> {
    const answered = await client.originate({
      Channel: `Local/${exten}@test`,
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
    });
    const channel = answered.Channel;
    if (channel === undefined) throw new Error('OriginateResponse without Channel');
    calls.push(channel);
    return channel;
  }

  beforeAll(() => client.connect());
  afterEach(async () => {
    for (const channel of calls.splice(0)) {
      await hangup(client, { Channel: channel }).catch(() => undefined);
    }
  });
  afterAll(async () => {
    await client.send({ Action: 'DBDelTree', Family: family }).catch(() => undefined);
    await client.disconnect();
  });

  it('lists the live channels of a call to exten 200 (coreShowChannels)', async () => {
    const channel = await call('200');
    const channels = await coreShowChannels(client);
    const ours = channels.find((entry) => entry.Channel === channel);
    expect(ours).toMatchObject({ Event: 'CoreShowChannel', ChannelStateDesc: 'Up', Context: 'test' });
    expect(ours?.Uniqueid).toMatch(/^\d+\.\d+$/);
    // Both halves of the Local channel are listed; the far one runs exten 200.
    const farEnd = channel.replace(/;1$/, ';2');
    expect(channels.find((entry) => entry.Channel === farEnd)?.Exten).toBe('200');
  }, 30_000);

  it('lists the PJSIP endpoints alice and bob (pjsipShowEndpoints)', async () => {
    const endpoints = await pjsipShowEndpoints(client);
    expect(endpoints.map((endpoint) => endpoint.ObjectName).sort()).toEqual(['alice', 'bob']);
    expect(endpoints.every((endpoint) => endpoint.Event === 'EndpointList')).toBe(true);
  });

  it('stores, reads and deletes a database entry (dbPut, dbGet, dbDel)', async () => {
    expect(await dbGet(client, { Family: family, Key: 'ticket' })).toBeUndefined();
    await dbPut(client, { Family: family, Key: 'ticket', Val: 'T-42 Ünïcode' });
    expect(await dbGet(client, { Family: family, Key: 'ticket' })).toBe('T-42 Ünïcode');
    await dbPut(client, { Family: family, Key: 'empty' });
    expect(await dbGet(client, { Family: family, Key: 'empty' })).toBe('');
    expect(await dbDel(client, { Family: family, Key: 'ticket' })).toBe(true);
    expect(await dbDel(client, { Family: family, Key: 'ticket' })).toBe(false);
    expect(await dbGet(client, { Family: family, Key: 'ticket' })).toBeUndefined();
  });

  it('sets and reads a variable on a live channel, and a global one (setVar, getVar)', async () => {
    const channel = await call('200');
    expect(await getVar(client, { Channel: channel, Variable: 'CRM_TICKET' })).toBeUndefined();
    await setVar(client, { Channel: channel, Variable: 'CRM_TICKET', Value: 'T-42' });
    expect(await getVar(client, { Channel: channel, Variable: 'CRM_TICKET' })).toBe('T-42');
    expect(await getVar(client, { Channel: channel, Variable: 'CHANNEL(state)' })).toBe('Up');
    const global = `NESTJS_AMI_TYPES_${process.pid}`;
    await setVar(client, { Variable: global, Value: 7 });
    expect(await getVar(client, { Variable: global })).toBe('7');
    await setVar(client, { Variable: global, Value: '' });
    const missing = await getVar(client, { Channel: 'Local/nobody@test-ffffffff;1', Variable: 'X' }).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(AmiActionError);
    expect((missing as AmiActionError).response.Message).toBe('No such channel');
  }, 30_000);

  it('redirects a live channel to another extension (redirect)', async () => {
    const channel = await call('200');
    const arrived = nextEvent(
      client,
      'Newexten',
      (event) => event.Channel === channel && event.Exten === '100',
    );
    await redirect(client, { Channel: channel, Context: 'test', Exten: '100', Priority: 1 });
    await arrived;
  }, 30_000);

  it('hangs up a live channel with a cause (hangup)', async () => {
    const channel = await call('200');
    const hungUp = nextEvent(client, 'Hangup', (event) => event.Channel === channel);
    const response = await hangup(client, { Channel: channel, Cause: 17 });
    expect(response.Response).toBe('Success');
    expect((await hungUp).Cause).toBe('17');
  }, 30_000);

  it('reports queue support with its member and its waiting caller (queueStatus, queueSummary)', async () => {
    const member = 'Local/member@test';
    await client.send({
      Action: 'QueueAdd',
      Queue: 'support',
      Interface: member,
      MemberName: 'agent',
      Paused: true,
    });
    try {
      const idle = await queueStatus(client, { Queue: 'support' });
      expect(idle.queues.map((queue) => queue.Queue)).toEqual(['support']);
      expect(idle.queues[0]?.Strategy).toBe('ringall');
      expect(idle.members.map((entry) => [entry.Queue, entry.Location, entry.Paused])).toEqual([
        ['support', member, '1'],
      ]);
      expect(idle.entries).toEqual([]);

      // The caller is answered before it runs Queue(): wait until it has joined.
      const joined = nextEvent(client, 'QueueCallerJoin', (event) => event.Queue === 'support');
      const caller = await client.originate({
        Channel: 'Local/answer@test',
        Application: 'Queue',
        Data: 'support',
      });
      if (caller.Channel !== undefined) calls.push(caller.Channel);
      await joined;
      const waiting = await queueStatus(client, { Queue: 'support' });
      expect(waiting.entries).toHaveLength(1);
      expect(waiting.entries[0]).toMatchObject({ Queue: 'support', Position: '1' });
      const [summary] = await queueSummary(client, { Queue: 'support' });
      expect(summary).toMatchObject({
        Event: 'QueueSummary',
        Queue: 'support',
        Callers: '1',
        Available: '0',
      });
    } finally {
      await client.send({ Action: 'QueueRemove', Queue: 'support', Interface: member });
    }
  }, 30_000);
});
