import { eventually, type RunningSample, startSample } from '../support/sample-app.js';
import { EventStream, type StreamedEvent } from './support/event-stream.js';

// The wallboard as `npm start` runs it without a PBX: the embedded simulator feeds the live state.

interface Snapshot {
  synced: boolean;
  connection: string;
  calls: unknown[];
}

const dataOf = (event: StreamedEvent) => event.data as Record<string, unknown>;

describe('the wallboard on the embedded simulator', () => {
  let sample: RunningSample;
  const streams: EventStream[] = [];
  const open = async () => {
    const stream = await EventStream.open(`${await sample.app.getUrl()}/wallboard/events`);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    sample = await startSample({ SIMULATOR_CALL_SECONDS: '1' });
  }, 30_000);
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await sample?.close();
  }, 30_000);

  it('serves the page at GET /', async () => {
    const response = await fetch(`${await sample.app.getUrl()}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain("new EventSource('/wallboard/events')");
  });

  it('streams a synced snapshot first (the simulator answers the live-state lists)', async () => {
    const snapshot = await eventually(
      async () => {
        const stream = await open();
        const first = await stream.next(() => true);
        stream.close();
        expect(first.type).toBe('snapshot');
        const data = first.data as Snapshot;
        return data.synced ? data : undefined;
      },
      'a snapshot with synced: true',
      10_000,
    );
    expect(snapshot).toMatchObject({ connection: 'connected', calls: [] });
  }, 15_000);

  it('streams an originated call as it starts, then its end and its entry in the call log', async () => {
    const stream = await open();
    await stream.next((event) => event.type === 'snapshot');
    const placed = await sample.post<{ uniqueid: string }>('/calls', {
      channel: 'PJSIP/alice',
      context: 'default',
      exten: '100',
    });
    expect(placed.status).toBe(201);
    const { uniqueid } = placed.body;
    const isCall = (kind: string) => (event: StreamedEvent) =>
      event.type === 'change' &&
      dataOf(event).entity === 'call' &&
      dataOf(event).kind === kind &&
      dataOf(event).id === uniqueid;
    await stream.next(isCall('added'));
    await stream.next(isCall('removed'));
    const finished = await stream.next((event) => event.type === 'finished' && dataOf(event).id === uniqueid);
    expect(finished.data).toMatchObject({ outcome: 'answered', cause: '16', causeTxt: 'Normal Clearing' });
    // No cause events and no bridges reach the page.
    expect(stream.events.some((event) => 'cause' in dataOf(event) && event.type === 'change')).toBe(false);
    expect(stream.events.some((event) => dataOf(event).entity === 'bridge')).toBe(false);
  });

  it('ends every open stream when the app closes', async () => {
    const stream = await open();
    await stream.next((event) => event.type === 'snapshot');
    await sample.close();
    await eventually(async () => (stream.ended ? true : undefined), 'the stream to end', 5_000);
  });
});
