import { AmiClient, type AmiClientOptions, type AmiEvent, firstHeaderValue } from '../../../lib/client.js';
import { localCall } from '../../chaos/support/local-calls.js';
import { SteadyLoad } from '../../chaos/support/steady-load.js';
import { asterisk, credentials } from '../support/asterisk-target.js';
import { CountingProxy } from './support/counting-proxy.js';

const INCLUDED = ['Newchannel', 'Hangup'];
const CALLS = 30;

/** A client behind its own counting proxy, keeping the Uniqueids of the Hangups it was given. */
async function observer(eventFilter?: { include: string[] }, user: Partial<AmiClientOptions> = {}) {
  const proxy = await CountingProxy.start(asterisk.host, asterisk.port);
  const client = new AmiClient({
    ...credentials(),
    ...user,
    port: proxy.port,
    eventFilter,
    keepAlive: false,
  });
  const delivered: AmiEvent[] = [];
  client.onEvent('*', (event) => {
    delivered.push(event);
  });
  await client.connect();
  const hungUp = () =>
    new Set(
      delivered.filter((event) => event.Event === 'Hangup').map((e) => firstHeaderValue(e, 'Uniqueid')),
    );
  return { proxy, client, delivered, hungUp };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('eventFilter on Asterisk 22, under a steady call load', () => {
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('the filtered session receives only the included events, the same ones, in far fewer bytes', async () => {
    const plain = await observer();
    const filtered = await observer({ include: INCLUDED });
    const loader = new AmiClient({ ...credentials(), keepAlive: false });
    closing.push(
      () => loader.disconnect(),
      () => plain.client.disconnect(),
      () => filtered.client.disconnect(),
      () => plain.proxy.close(),
      () => filtered.proxy.close(),
    );
    await loader.connect();
    const before = { plain: plain.proxy.bytes, filtered: filtered.proxy.bytes };

    const load = new SteadyLoad(loader, `filter${Date.now()}`, 100, 15_000);
    load.start();
    await until(() => load.settled.length >= CALLS, `${CALLS} calls settled`);
    await load.stop();
    const answered = load.settled.filter((call) => call.outcome === 'answered');
    expect(answered.length).toBeGreaterThanOrEqual(CALLS);
    const uniqueids = answered.flatMap((call) => call.uniqueids);
    const sawAll = (seen: Set<unknown>) => uniqueids.every((id) => seen.has(id));
    await until(() => sawAll(plain.hungUp()) && sawAll(filtered.hungUp()), 'every Hangup seen by both');

    // What Asterisk sent the filtered session: the included events only, nothing before the filters.
    expect([...filtered.proxy.events.keys()].sort()).toEqual([...INCLUDED].sort());
    expect(new Set(filtered.delivered.map((event) => event.Event))).toEqual(new Set(INCLUDED));
    // The same Hangups and Newchannels as the unfiltered session got: nothing included was lost.
    for (const name of INCLUDED) {
      expect(filtered.proxy.events.get(name)).toBe(plain.proxy.events.get(name));
    }
    const figures = {
      calls: answered.length,
      unfiltered: { bytes: plain.proxy.bytes - before.plain, events: plain.proxy.eventCount },
      filtered: { bytes: filtered.proxy.bytes - before.filtered, events: filtered.proxy.eventCount },
      unfilteredByName: Object.fromEntries(plain.proxy.events),
    };
    console.log(`eventFilter figures: ${JSON.stringify(figures)}`);
    expect(figures.filtered.events * 3).toBeLessThan(figures.unfiltered.events);
    expect(figures.filtered.bytes * 3).toBeLessThan(figures.unfiltered.bytes);
    // Asterisk is still well.
    await expect(loader.send({ Action: 'Ping' })).resolves.toMatchObject({ Ping: 'Pong' });
  }, 90_000);

  it('a user without the system write permission: one warning, Asterisk sends everything, the client delivers the included only', async () => {
    const warnings: string[] = [];
    const base = credentials();
    const logger = { ...base.logger, warn: (message: string) => warnings.push(message) };
    const reader = await observer({ include: ['Hangup'] }, { ...asterisk.reader, logger });
    const loader = new AmiClient({ ...credentials(), keepAlive: false });
    closing.push(
      () => loader.disconnect(),
      () => reader.client.disconnect(),
      () => reader.proxy.close(),
    );
    await loader.connect();
    const calls = [0, 1, 2].map((index) => localCall(`refused${Date.now()}`, index));
    await Promise.all(calls.map((call) => loader.originate(call.params)));
    const uniqueids = calls.flatMap((call) => call.uniqueids);
    await until(() => uniqueids.every((id) => reader.hungUp().has(id)), 'every Hangup delivered');

    expect(warnings.filter((line) => line.includes('refused the event Filter'))).toHaveLength(1);
    // Unfiltered on the wire (Newchannel, Newstate...), filtered here.
    expect(reader.proxy.events.get('Newchannel')).toBeGreaterThanOrEqual(6);
    expect(new Set(reader.delivered.map((event) => event.Event))).toEqual(new Set(['Hangup']));
  }, 60_000);
});
