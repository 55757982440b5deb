import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AmiClient, type AmiEvent } from '../../../lib/client.js';
import { SampleProcess } from '../sample/support/sample-process.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';
import { HeadlessChromium } from './support/headless-chromium.js';
import { descendantsOf, stillRunning } from './support/process-tree.js';

// The sample's wallboard (GET /) in Debian's headless Chromium, fed by the real Asterisk's events through
// the sample's live state. The test's own AMI client sees the same events, and gives the Newchannel time
// that the page's drawing time is measured against (same machine, same clock).

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the screenshot goes (README's docs/wallboard.png is a copy of one). */
const screenshot = process.env.WALLBOARD_SCREENSHOT ?? join(root, '.tmp/wallboard.png');

/** The bound: a call is on the page within a second of its Newchannel. */
const PAGE_LATENCY_BOUND_MS = 1_000;

describe('the wallboard page in headless Chromium, against the real Asterisk', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  const run = `wb${process.pid}`;
  /** Processes the test started (the sample, Chromium and their children), found before teardown. */
  let started = new Set<number>();
  let sample: SampleProcess | null = null;
  let browser: HeadlessChromium | null = null;
  const placed: string[] = [];

  const page = () => {
    if (browser === null) throw new Error('no browser');
    return browser.page;
  };
  const callRow = (linkedid: string) => `#calls tr[data-linkedid="${linkedid}"]`;

  /** Originates Local/<exten>@test into `answer`, with Uniqueids we chose; resolves once it answers. */
  async function originate(exten: string, id: string, variable?: string): Promise<string> {
    const answered = await client.originate({
      Channel: `Local/${exten}@test`,
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
      CallerID: `Wallboard <${exten === 'queue' ? '3001' : '2001'}>`,
      ChannelId: id,
      OtherChannelId: `${id}-2`,
      ...(variable === undefined ? {} : { Variable: variable }),
    });
    placed.push(String(answered.Channel));
    return String(answered.Channel);
  }

  beforeAll(async () => {
    await client.connect();
    const before = descendantsOf(process.pid);
    sample = await SampleProcess.start();
    browser = await HeadlessChromium.launch();
    started = new Set([...descendantsOf(process.pid)].filter((pid) => !before.has(pid)));
    await page().goto(`${sample.url}/`);
    // The stream is open and its snapshot drawn once the body says so.
    await page().waitForSelector('body[data-stream="open"][data-connection="connected"]', {
      timeout: 10_000,
    });
  }, 60_000);

  afterAll(async () => {
    for (const channel of placed)
      await client.send({ Action: 'Hangup', Channel: channel }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await sample?.stop();
    await client.disconnect();
  }, 60_000);

  it('shows a call within a second of its Newchannel, then drops it after its Hangup', async () => {
    const id = `${run}-measured`;
    // Stamped in the listener itself, as the event is read (a promise callback would add a turn).
    let newchannelAt = 0;
    const stopStamping = client.onEvent('Newchannel', (event) => {
      if (event.Uniqueid === id && newchannelAt === 0) newchannelAt = Date.now();
    });
    const newchannel = nextEvent(client, 'Newchannel', (event) => event.Uniqueid === id);
    const hangups = Promise.all([
      nextEvent(client, 'Hangup', (event) => event.Uniqueid === id, 20_000),
      nextEvent(client, 'Hangup', (event) => event.Uniqueid === `${id}-2`, 20_000),
    ]);
    // Exten 200 answers and hangs up after CALL_SECONDS.
    await originate('200', id, 'CALL_SECONDS=3');
    await newchannel;
    stopStamping();

    const row = await page().waitForSelector(callRow(id), { timeout: 5_000 });
    const shownAt = Number(await row.getAttribute('data-shown-at'));
    const latency = shownAt - newchannelAt;
    process.stdout.write(`wallboard: call drawn ${latency} ms after the test client saw its Newchannel\n`);
    expect(latency).toBeLessThanOrEqual(PAGE_LATENCY_BOUND_MS);

    // While it talks: both halves in the row, Up, with a running duration.
    // The page redraws a row as it changes: read the row as it is now, once it says what we expect.
    const upRow = `${callRow(id)}[data-state="Up"]`;
    await page()
      .locator(upRow)
      .filter({ hasText: /2001[\s\S]*2 channels/ })
      .waitFor({ timeout: 5_000 });
    expect(await page().textContent(upRow)).toContain('2001');
    expect(await page().textContent(upRow)).toContain('2 channels');

    const last: AmiEvent[] = await hangups;
    const hungUpAt = Date.now();
    await page().waitForSelector(callRow(id), { state: 'detached', timeout: 5_000 });
    process.stdout.write(`wallboard: call dropped ${Date.now() - hungUpAt} ms after its last Hangup\n`);
    expect(last.map((event) => event.Cause)).toEqual(['16', '16']);
  }, 30_000);

  it('lists the finished call in the call log', async () => {
    const id = `${run}-logged`;
    await originate('100', id);
    await page().waitForSelector(`#log tr[data-linkedid="${id}"]`, { timeout: 10_000 });
    const text = await page().textContent(`#log tr[data-linkedid="${id}"]`);
    expect(text).toContain('answered');
    expect(text).toContain('Normal Clearing');
  }, 20_000);

  it('shows a caller waiting in a queue, with a call in progress, and saves a screenshot', async () => {
    const waiting = `${run}-queued`;
    const queued = await originate('queue', waiting);
    // The ;2 half (OtherChannelId) runs exten queue and waits in queue support.
    const inQueue = `#queues tr[data-queue="support"][data-callers~="${waiting}-2"]`;
    await page().waitForSelector(inQueue, { timeout: 5_000 });
    const talking = `${run}-talking`;
    await originate('200', talking, 'CALL_SECONDS=10');
    await page().waitForSelector(`${callRow(talking)}[data-state="Up"]`, { timeout: 5_000 });
    // A second of talk on the clock makes a better picture; waited for, not slept.
    await page()
      .locator(`${callRow(talking)} td.talk`, { hasText: /^(?!0:00$)\d+:\d\d$/ })
      .waitFor({ timeout: 5_000 });
    mkdirSync(dirname(screenshot), { recursive: true });
    await page().screenshot({ path: screenshot, fullPage: true });

    // The caller leaves the queue when hung up.
    await client.send({ Action: 'Hangup', Channel: queued });
    await page().waitForSelector(inQueue, { state: 'detached', timeout: 5_000 });
    await page().waitForSelector('#queues tr[data-queue="support"]', { timeout: 5_000 });
  }, 30_000);

  it('closes the sample while the page is open, and leaves no browser or sample process behind', async () => {
    expect(started.size).toBeGreaterThanOrEqual(2);
    // An open page (its event stream, its keep-alive sockets, its EventSource reconnecting) must not hold
    // the sample open on SIGTERM: held, it took 9 s (Node's keep-alive timeout, twice); SIGKILL after 4 s
    // makes that a failure.
    const stopping = Date.now();
    const exit = await (sample as SampleProcess).stop(4_000);
    process.stdout.write(`wallboard: the sample closed in ${Date.now() - stopping} ms with the page open\n`);
    expect(exit).toEqual({ code: 0, signal: null });
    await page().waitForSelector('body[data-stream="reconnecting"]', { timeout: 5_000 });
    await (browser as HeadlessChromium).close();
    browser = null;
    expect(stillRunning(started)).toEqual([]);
  }, 30_000);
});
