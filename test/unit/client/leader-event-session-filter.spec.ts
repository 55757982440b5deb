import { toLogSink } from '../../../lib/client/ami-logger.js';
import type { AmiEvent } from '../../../lib/client.js';
import { LeaderEventSession } from '../../../lib/cluster/leader-event-session.js';
import type { FakeAmiAction } from '../../../lib/testing/index.js';
import { CapturingLogger, Harness, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe("cluster mode: the leader's event session carries the eventFilter", () => {
  it('filters at its login and relays only the included events', async () => {
    const server = await harness.server();
    const filters: string[] = [];
    server.on('action', (action: FakeAmiAction) => {
      if (action.name === 'Filter') filters.push(action.get('Filter') ?? '');
    });
    const published: string[] = [];
    const gaps: number[] = [];
    const session = new LeaderEventSession(
      {
        host: '127.0.0.1',
        port: server.port,
        username: 'admin',
        secret: 'secret',
        keepAlive: false,
        eventFilter: { include: ['Hangup'] },
      },
      { isLeader: true },
      { publish: (event: AmiEvent) => published.push(event.Event), publishGap: (to) => gaps.push(to) },
      toLogSink(new CapturingLogger()),
    );
    try {
      session.open();
      await waitUntil(() => session.relaying);
      expect(filters).toEqual([
        '^Event: [Hh][Aa][Nn][Gg][Uu][Pp][[:space:]]',
        expect.stringMatching(/^ActionID: /),
      ]);
      server.emitEvent({ Event: 'Newexten', Privilege: 'dialplan,all' });
      server.emitEvent({ Event: 'Hangup', Privilege: 'call,all' });
      await waitUntil(() => published.length === 1);
      expect(published).toEqual(['Hangup']);
    } finally {
      session.close();
    }
  });
});
