import { toLogSink } from '../../../lib/client/ami-logger.js';
import { AmiClient, type AmiEvent } from '../../../lib/client.js';
import { filterActionsOnLogin } from '../../../lib/cluster/action-filter.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';
import { nextEvent } from '../../e2e/support/wait-for.js';
import { amiOptions, recordingLogger } from '../support/cluster-fixture.js';

// The ActionID Filter on the real Asterisk 22: a filtered session gets its own OriginateResponse and no
// event of anyone else's call (nor of its own call: those carry no ActionID).
const clients: AmiClient[] = [];

function client(): AmiClient {
  const created = new AmiClient({ ...amiOptions(), reconnect: false });
  clients.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(clients.map((created) => created.disconnect()));
});

describe('the ActionID Filter on Asterisk 22', () => {
  it("a filtered client's originate() resolves with its OriginateResponse; it sees no other event", async () => {
    const filtered = client();
    const { logger, lines } = recordingLogger();
    filterActionsOnLogin(filtered, toLogSink(logger));
    await filtered.connect();
    // The Filter is the first action after login: once a Ping is answered, it was applied. What came
    // before it (FullyBooted, its own SuccessfulAuth) is not looked at.
    await filtered.send({ Action: 'Ping' });
    const seen: AmiEvent[] = [];
    filtered.onEvent('*', (event) => {
      seen.push(event);
    });
    const other = client();
    await other.connect();

    // Another client's call, from start to hangup.
    const otherHangup = nextEvent(other, 'Hangup', (event) =>
      String(event.Channel).startsWith('Local/100@test'),
    );
    const otherAnswer = await other.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1' });
    expect(otherAnswer.Response).toBe('Success');
    await otherHangup;

    // Then a call of the filtered client: its OriginateResponse comes after the other call's events.
    const ownAnswer = await filtered.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1' });
    expect(ownAnswer.Event).toBe('OriginateResponse');
    expect(ownAnswer.Response).toBe('Success');
    expect(String(ownAnswer.ActionID).startsWith(filtered.actionIdStem)).toBe(true);

    expect(seen.length).toBeGreaterThan(0);
    const foreign = seen.filter((event) => !String(event.ActionID ?? '').startsWith(filtered.actionIdStem));
    expect(foreign.map((event) => event.Event)).toEqual([]);
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
  }, 30_000);

  it('a user without system write permission: one warning, the client goes on', async () => {
    const reader = new AmiClient({
      ...amiOptions(),
      username: asterisk.reader.username,
      secret: asterisk.reader.secret,
      reconnect: false,
    });
    clients.push(reader);
    const { logger, lines } = recordingLogger();
    filterActionsOnLogin(reader, toLogSink(logger));
    await reader.connect();
    const pong = await reader.send({ Action: 'Ping' });
    expect(pong.Response).toBe('Success');
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('refused the ActionID Filter');
  }, 30_000);
});
