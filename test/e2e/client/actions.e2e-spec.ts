import { AmiActionError, AmiClient, AmiInvalidActionError, headerValues } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

describe('actions against the real Asterisk 22', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  beforeAll(() => client.connect());
  afterAll(() => client.disconnect());

  it('returns the output lines of a CLI command', async () => {
    const lines = await client.command('core show version');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^Asterisk 22\./);
  });

  it('keeps every line of a long command output, in order', async () => {
    const lines = await client.command('core show help');
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.some((line) => line.includes('core show version'))).toBe(true);
  });

  it('rejects an unknown CLI command with AmiActionError carrying the whole response', async () => {
    const failure = await client.command('no such command here').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AmiActionError);
    expect((failure as AmiActionError).response.Response).toBe('Error');
    expect(headerValues((failure as AmiActionError).response, 'Output').join('\n')).toMatch(
      /No such command/,
    );
  });

  it('rejects an unknown action with AmiActionError', async () => {
    const failure = await client.send({ Action: 'NoSuchActionAnywhere' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AmiActionError);
    expect((failure as AmiActionError).response.Message).toMatch(/Invalid\/unknown command/);
  });

  it('originates an Async call and resolves with its OriginateResponse', async () => {
    const result = await client.originate({
      Channel: 'Local/100@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
      CallerID: 'Ünïcode Caller <5551234>',
    });
    expect(result.Event).toBe('OriginateResponse');
    expect(result.Response).toBe('Success');
    expect(result.Channel).toMatch(/^Local\/100@test-/);
  });

  it('rejects an Async originate that fails with the OriginateResponse that says so', async () => {
    const failure = await client
      .originate({ Channel: 'Local/nonexistent@test', Context: 'test', Exten: 'answer', Priority: 1 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AmiActionError);
    expect((failure as AmiActionError).response.Event).toBe('OriginateResponse');
    expect((failure as AmiActionError).response.Response).toBe('Failure');
  });

  it('delivers the Hangup events of a real call with their fields', async () => {
    const origin = await client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '5' });
    const base = String(origin.Channel).slice(0, -2);
    // The ;2 half runs exten 100, which hangs up with cause 16 after a second, before the ;1 half's Wait ends.
    const dialplanSide = await nextEvent(client, 'Hangup', (event) => event.Channel === `${base};2`);
    expect(dialplanSide.Cause).toBe('16');
    expect(dialplanSide['Cause-txt']).toBe('Normal Clearing');
    expect(dialplanSide.Uniqueid).toMatch(/^\d+\.\d+$/);
    expect(dialplanSide.Linkedid).toMatch(/^\d+\.\d+$/);
    expect(dialplanSide.Context).toBe('test');
    expect(dialplanSide.Exten).toBe('100');
    expect(dialplanSide.Privilege).toMatch(/call/);
  });

  it('collects CoreShowChannels into a list of the live channels during a call', async () => {
    await client.originate({ Channel: 'Local/200@test', Context: 'test', Exten: 'answer', Priority: 1 });
    const list = await client.sendList({ Action: 'CoreShowChannels' });
    expect(list.response.EventList).toBe('start');
    expect(list.complete?.Event).toBe('CoreShowChannelsComplete');
    expect(Number(list.complete?.ListItems)).toBe(list.events.length);
    const channels = list.events.map((event) => String(event.Channel));
    expect(list.events.every((event) => event.Event === 'CoreShowChannel')).toBe(true);
    expect(channels.some((channel) => channel.startsWith('Local/200@test-'))).toBe(true);
    await client.send({ Action: 'Hangup', Channel: '/^Local\\/200@test-.*$/' });
  });

  it('refuses header injection before writing, so the smuggled action never reaches Asterisk', async () => {
    const family = `injection${process.pid}`;
    const smuggled = `Mallory\r\n\r\nAction: DBPut\r\nFamily: ${family}\r\nKey: owned\r\nVal: yes`;
    await expect(
      client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1', CallerID: smuggled }),
    ).rejects.toBeInstanceOf(AmiInvalidActionError);
    await expect(
      client.send({ Action: 'Ping', variables: { name: 'a\nAction: DBPut' } }),
    ).rejects.toBeInstanceOf(AmiInvalidActionError);
    // Asterisk never saw the DBPut: the key does not exist.
    const lookup = await client
      .send({ Action: 'DBGet', Family: family, Key: 'owned' })
      .catch((error: unknown) => error);
    expect(lookup).toBeInstanceOf(AmiActionError);
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('passes variables as Variable headers and reads them back', async () => {
    const result = await client.originate({
      Channel: 'Local/200@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
      variables: { CALL_SECONDS: 3, CRM_TICKET: 'T-42' },
    });
    const value = await client.send({
      Action: 'Getvar',
      Channel: String(result.Channel),
      Variable: 'CRM_TICKET',
    });
    expect(value.Value).toBe('T-42');
    await client.send({ Action: 'Hangup', Channel: String(result.Channel) });
  });
});
