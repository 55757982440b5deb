import { toLogSink } from '../../../lib/client/ami-logger.js';
import { AmiInvalidActionError } from '../../../lib/client.js';
import { actionIdFilter, escapeRegex, filterActionsOnLogin } from '../../../lib/cluster/action-filter.js';
import { resolveClusterOptions } from '../../../lib/cluster/cluster-options.js';
import {
  decodeGapEntry,
  decodeStreamEntry,
  encodeGapEntry,
  encodeStreamEntry,
} from '../../../lib/cluster/stream-entry.js';
import { CapturingLogger, Harness, waitUntil } from '../client/support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe('AmiClient.actionIdStem', () => {
  it('is what every ActionID of the client starts with: prefix, 8 base-36 characters, dash', async () => {
    const server = await harness.server();
    const client = harness.client(server, { actionIdPrefix: 'app.' });
    expect(client.actionIdStem).toMatch(/^app\.[0-9a-z]{8}-$/);
    await client.connect();
    await client.send({ Action: 'Ping' });
    await client.send({ Action: 'Ping' });
    const ids = server.actions.map((action) => action.actionId);
    expect(ids.length).toBeGreaterThanOrEqual(3); // Login and the two Pings
    for (const id of ids) expect(id?.startsWith(client.actionIdStem)).toBe(true);
    expect(harness.client(server, { actionIdPrefix: 'app.' }).actionIdStem).not.toBe(client.actionIdStem);
  });

  it('is read-only', () => {
    const client = harness.client(1);
    expect(() => {
      (client as unknown as { actionIdStem: string }).actionIdStem = 'x';
    }).toThrow(TypeError);
  });
});

describe('the ActionID Filter', () => {
  it('has exactly one form: Operation Add, Filter "ActionID: <the stem, regex-escaped>"', () => {
    expect(actionIdFilter('a.b*c[1]-')).toEqual({
      Action: 'Filter',
      Operation: 'Add',
      Filter: 'ActionID: a\\.b\\*c\\[1\\]-',
    });
    expect(escapeRegex('x^$|?+(){}\\y')).toBe('x\\^\\$\\|\\?\\+\\(\\)\\{\\}\\\\y');
    const stem = 'ev-k2j4h5g6-';
    expect(new RegExp(escapeRegex('a.b+')).test('a.b+')).toBe(true);
    expect(new RegExp(escapeRegex('a.b+')).test('axbb')).toBe(false);
    expect(actionIdFilter(stem).Filter).toBe(`ActionID: ${stem}`);
  });

  it('is sent after each login of the client (a reconnection starts unfiltered) until stopped', async () => {
    const server = await harness.server();
    server.onAction('Filter', () => ({ Response: 'Success', Message: 'Filter Added Successfully' }));
    const client = harness.client(server, { reconnect: { initialDelay: 10, maxDelay: 20 } });
    const logger = new CapturingLogger();
    const stop = filterActionsOnLogin(client, toLogSink(logger));
    await client.connect();
    const first = await server.waitForAction('Filter');
    expect(first.headers).toMatchObject({
      Operation: 'Add',
      Filter: `ActionID: ${escapeRegex(client.actionIdStem)}`,
    });
    server.dropConnections();
    await server.waitForAction('Filter', { count: 2 });
    stop();
    server.dropConnections();
    await server.waitForLogins(3);
    await client.send({ Action: 'Ping' }, { waitForConnection: 5_000 });
    expect(server.actions.filter((action) => action.name === 'Filter')).toHaveLength(2);
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });

  it('refused (no system write permission): one warning in all, and the client goes on', async () => {
    const server = await harness.server(); // answers Filter with Response: Error
    const client = harness.client(server, { reconnect: { initialDelay: 10, maxDelay: 20 } });
    const logger = new CapturingLogger();
    filterActionsOnLogin(client, toLogSink(logger));
    await client.connect();
    await server.waitForAction('Filter');
    await waitUntil(() => logger.lines.some((line) => line.startsWith('warn')), 5_000, 'the warning');
    server.dropConnections();
    await server.waitForAction('Filter', { count: 2 });
    expect((await client.send({ Action: 'Ping' }, { waitForConnection: 5_000 })).Response).toBe('Success');
    const warnings = logger.lines.filter((line) => line.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('refused the ActionID Filter');
  });
});

describe('cluster options', () => {
  it('fills in the documented defaults', () => {
    expect(resolveClusterOptions({ redis: 'redis://127.0.0.1:6379', group: 'billing' })).toEqual({
      redis: 'redis://127.0.0.1:6379',
      group: 'billing',
      keyPrefix: 'nestjs-ami',
      leaseTtl: 5_000,
      retention: 100_000,
      bufferLimit: 10_000,
      bufferBytes: 64 * 1024 * 1024,
      claimIdle: 30_000,
      maxDeliveries: 5,
      maxLag: 10_000,
      eventSessionTimeout: 15_000,
      handlerTimeout: 30_000,
    });
  });

  it.each([
    [{ group: 'a b' }, 'cluster.group'],
    [{ group: '' }, 'cluster.group'],
    [{ group: undefined }, 'cluster.group'],
    [{ keyPrefix: 'x{y}' }, 'cluster.keyPrefix'],
    [{ leaseTtl: 100 }, 'cluster.leaseTtl'],
    [{ leaseTtl: '5000' }, 'cluster.leaseTtl'],
    [{ retention: 0 }, 'cluster.retention'],
    [{ bufferLimit: 1.5 }, 'cluster.bufferLimit'],
    [{ bufferBytes: 0 }, 'cluster.bufferBytes'],
    [{ claimIdle: -1 }, 'cluster.claimIdle'],
    [{ maxDeliveries: 0 }, 'cluster.maxDeliveries'],
    [{ maxLag: Number.NaN }, 'cluster.maxLag'],
    [{ redis: 42 }, 'cluster.redis'],
    [{ redis: {} }, 'cluster.redis'],
  ])('refuses %j with AmiInvalidActionError naming %s', (bad, name) => {
    const options = { redis: 'redis://:hunter2@127.0.0.1:6379', group: 'billing', ...bad };
    let thrown: unknown;
    try {
      resolveClusterOptions(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AmiInvalidActionError);
    expect((thrown as Error).message).toContain(name);
    expect((thrown as Error).message).not.toContain('hunter2');
  });
});

describe('gap markers in the stream', () => {
  it('round-trip, and are not events (readers of events skip them)', () => {
    const fields = encodeGapEntry(1_000, 2_500, 7);
    expect(decodeGapEntry('1-0', fields)).toEqual({ id: '1-0', from: 1_000, to: 2_500, epoch: 7 });
    expect(decodeGapEntry('1-0', encodeGapEntry(null, 2_500, 7))?.from).toBeNull();
    expect(decodeStreamEntry('1-0', fields)).toBeNull();
    expect(decodeGapEntry('2-0', encodeStreamEntry({ Event: 'Hangup' }, 7, 2_000))).toBeNull();
    expect(decodeGapEntry('3-0', ['gap', '{"from":"x","to":1,"epoch":1}'])).toBeNull();
    expect(decodeGapEntry('3-0', ['gap', 'not json'])).toBeNull();
  });
});
