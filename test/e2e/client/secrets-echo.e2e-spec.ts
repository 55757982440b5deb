import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import { AmiClient, type AmiLogger } from '../../../lib/client.js';
import { asterisk, credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

/**
 * Secrets sent by every path an action offers, and echoed back by the real Asterisk 22 (VarSet events,
 * Getvar's answer, a UserEvent copying the sender's headers), with frame tracing on: no log line holds one.
 */
describe('secrets echoed by the real Asterisk stay out of the log', () => {
  const audited = credentials();
  const lines: string[] = [];
  const keep =
    (level: keyof AmiLogger) =>
    (message: unknown, ...rest: unknown[]) => {
      lines.push(`${level} ${format(message, ...rest)}`);
      audited.logger[level]?.(message, ...rest);
    };
  const logger: AmiLogger = {
    log: keep('log'),
    error: keep('error'),
    warn: keep('warn'),
    debug: keep('debug'),
    verbose: keep('verbose'),
  };
  const client = new AmiClient({
    ...audited,
    logger,
    traceFrames: true,
    sensitiveHeaders: ['ApiToken'],
    reconnect: false,
    keepAlive: false,
  });
  const run = randomBytes(5).toString('hex');
  const secret = (path: string) => `zz9${run}-${path}`;
  /** The log lines holding any secret of this run, or the login's. */
  const leaks = () => lines.filter((line) => line.includes(`zz9${run}`) || line.includes(asterisk.secret));

  beforeAll(() => client.connect());
  afterAll(() => client.disconnect());
  afterEach(() => expect(leaks()).toEqual([]));

  it('Setvar SECRET, its VarSet event and the Getvar answer', async () => {
    const value = secret('setvar');
    const varSet = nextEvent(client, 'VarSet', (event) => event.Variable === 'SECRET');
    await client.send({ Action: 'Setvar', Variable: 'SECRET', Value: value });
    expect((await varSet).Value).toBe(value); // the listener gets the real value
    const answer = await client.send({ Action: 'Getvar', Variable: 'SECRET' });
    expect(answer.Value).toBe(value);
    await client.send({ Action: 'Setvar', Variable: 'SECRET', Value: '' });
    const withValue = lines.filter(
      (line) => line.includes('"Variable":"SECRET"') && line.includes('"Value":'),
    );
    expect(withValue.length).toBeGreaterThanOrEqual(3); // Setvar, its VarSet, Getvar's answer
    for (const line of withValue) expect(line).toContain('"Value":"<redacted>"');
  });

  it('a UserEvent carrying Secret, a Key array and an extra header, echoed to every session', async () => {
    const [typed, first, second, extra] = ['typed', 'key-1', 'key-2', 'extra'].map(secret);
    const echoed = nextEvent(client, 'UserEvent', (event) => event.UserEvent === `Secrets${run}`);
    await client.send({
      Action: 'UserEvent',
      UserEvent: `Secrets${run}`,
      Secret: typed,
      Key: [first, second],
      extraHeaders: { ApiToken: extra },
    });
    const event = await echoed;
    expect([event.Secret, event.Key, event.ApiToken]).toEqual([typed, [first, second], extra]);
    const traced = lines.filter((line) => line.includes(`"UserEvent":"Secrets${run}"`));
    expect(traced).toHaveLength(2); // the action sent, the event received
  });

  it('an Originate with secret-named variables: the VarSet events of both Local halves', async () => {
    const [plain, inherited, header] = ['variable', 'inherited', 'variable-header'].map(secret);
    const values = new Set([plain, inherited, header]);
    const seen: string[] = [];
    const unsubscribe = client.onEvent('VarSet', (event) => {
      if (values.has(String(event.Value))) seen.push(`${event.Variable}=${event.Value}`);
    });
    const hangup = nextEvent(client, 'Hangup', (event) => String(event.Channel).endsWith(';1'), 15_000);
    try {
      const result = await client.originate({
        Channel: 'Local/answer@test',
        Application: 'Wait',
        Data: '1',
        variables: { SECRET: plain, __KEY: inherited, CAMPAIGN: 'spring' },
        extraHeaders: { Variable: `ApiToken=${header}` },
      });
      expect(result.Response).toBe('Success');
      await hangup;
    } finally {
      unsubscribe();
    }
    // Set on the ;1 half at originate; the ;2 half gets them too (the __ one by inheritance).
    expect(new Set(seen)).toEqual(new Set([`SECRET=${plain}`, `__KEY=${inherited}`, `ApiToken=${header}`]));
    const originate = lines.find((line) => line.includes('"Action":"Originate"'));
    expect(originate).toContain(
      '"variables":{"SECRET":"<redacted>","__KEY":"<redacted>","CAMPAIGN":"spring"}',
    );
    expect(originate).toContain('"Variable":"ApiToken=<redacted>"');
  });
});
