import { toLogSink } from '../../../lib/client/ami-logger.js';
import type { AmiEvent } from '../../../lib/client.js';
import { LeaderEventSession } from '../../../lib/cluster/leader-event-session.js';
import { CapturingLogger, Harness, waitUntil } from '../client/support.js';

// The leader's event session against the in-process server: dropping its connection on demand is a fault
// the real Asterisk does not produce. Each login queues a gap marker before anything is relayed.
const harness = new Harness();
const sessions: LeaderEventSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.close();
  await harness.cleanup();
});

function recordingPublisher() {
  const entries: string[] = [];
  return {
    entries,
    publish: (event: AmiEvent) => {
      entries.push(String(event.UserEvent ?? event.Event));
    },
    publishGap: () => {
      entries.push('gap');
    },
  };
}

describe('LeaderEventSession', () => {
  it('queues a gap marker at each login, then relays; a closed session relays nothing more', async () => {
    const server = await harness.server();
    const publisher = recordingPublisher();
    const leadership = { isLeader: true };
    const session = new LeaderEventSession(
      {
        host: '127.0.0.1',
        port: server.port,
        username: 'admin',
        secret: 'secret',
        keepAlive: false,
        reconnect: { initialDelay: 10, maxDelay: 20 },
      },
      leadership,
      publisher,
      toLogSink(new CapturingLogger()),
    );
    sessions.push(session);
    session.open();
    await waitUntil(() => session.relaying, 5_000, 'the first login');
    server.emitEvent({ Event: 'UserEvent', UserEvent: 'one' });
    await waitUntil(() => publisher.entries.includes('one'), 5_000, 'the first event');
    server.dropConnections();
    await server.waitForLogins(2);
    await waitUntil(() => session.relaying, 5_000, 'the second login');
    server.emitEvent({ Event: 'UserEvent', UserEvent: 'two' });
    await waitUntil(() => publisher.entries.includes('two'), 5_000, 'the second event');
    leadership.isLeader = false;
    server.emitEvent({ Event: 'UserEvent', UserEvent: 'not leading' });
    leadership.isLeader = true;
    session.close();
    server.emitEvent({ Event: 'UserEvent', UserEvent: 'closed' });
    await server.waitForNoConnections();
    expect(publisher.entries).toEqual(['gap', 'one', 'gap', 'two']);
  }, 15_000);

  it('opens the event session with all events, its own ActionID prefix, and reconnection', async () => {
    const server = await harness.server();
    const publisher = recordingPublisher();
    const session = new LeaderEventSession(
      {
        host: '127.0.0.1',
        port: server.port,
        username: 'admin',
        secret: 'secret',
        keepAlive: false,
        reconnect: false,
        events: false,
        actionIdPrefix: 'app-',
      },
      { isLeader: true },
      publisher,
      toLogSink(new CapturingLogger()),
    );
    sessions.push(session);
    session.open();
    const login = await server.waitForAction('Login');
    expect(login.get('Events')).toBe('on');
    expect(login.actionId?.startsWith('app-ev-')).toBe(true);
    await waitUntil(() => session.relaying, 5_000, 'the login');
    server.dropConnections();
    // reconnect: false in the options would leave the group blind: the event session reconnects anyway.
    await waitUntil(() => publisher.entries.length === 2, 5_000, 'the gap marker of the second login');
    session.close();
    expect(publisher.entries).toEqual(['gap', 'gap']);
  }, 15_000);
});
