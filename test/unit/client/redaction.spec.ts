import { REDACTED, redactHeaders, sensitiveHeaderSet } from '../../../lib/client/redaction.js';

const SECRET = 'Sup3r-S3cret-Value';
const sensitive = sensitiveHeaderSet(['X-Token']);

/** The redacted copy as a log line would show it. */
const logged = (headers: Record<string, unknown>) => JSON.stringify(redactHeaders(headers, sensitive));

describe('redactHeaders: every way a secret can travel in an action', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a typed parameter', { Action: 'Login', Secret: SECRET }],
    ['a parameter in another case', { Action: 'Custom', sEcReT: SECRET }],
    ['a configured sensitive header', { Action: 'Custom', 'x-token': SECRET }],
    ['an array value', { Action: 'Custom', Key: ['one', SECRET] }],
    ['extraHeaders', { Action: 'Originate', extraHeaders: { Secret: SECRET } }],
    ['an array in extraHeaders', { Action: 'Originate', extraHeaders: { 'X-TOKEN': [SECRET] } }],
    ['a variables entry', { Action: 'Originate', variables: { Secret: SECRET, CAMPAIGN: 'spring' } }],
    ['an inherited variable (__KEY)', { Action: 'Originate', variables: { __KEY: SECRET } }],
    [
      'a variables entry named in sensitiveHeaders',
      { Action: 'Originate', variables: { x_token: 'no', 'X-Token': SECRET } },
    ],
    ['a Variable header assignment', { Action: 'Originate', Variable: `A=1,SECRET=${SECRET}` }],
    [
      'a Variable header assignment with a comma inside',
      { Action: 'Originate', Variable: `SECRET=${SECRET.slice(0, 5)},${SECRET.slice(5)}` },
    ],
    ['a Variable array', { Action: 'Originate', Variable: ['A=1', `_SECRET=${SECRET}`] }],
    ['a Variable in extraHeaders', { Action: 'Originate', extraHeaders: { Variable: `key=${SECRET}` } }],
    ['Setvar: Variable names it, Value holds it', { Action: 'Setvar', Variable: 'SECRET', Value: SECRET }],
  ])('%s', (_path, action) => {
    const line = logged(action);
    expect(line).toContain(REDACTED);
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain(SECRET.slice(5));
  });

  it('keeps everything else as written', () => {
    expect(
      redactHeaders(
        {
          Action: 'Originate',
          Channel: 'Local/100@test',
          Variable: 'A=1,B\\,C=2',
          variables: { CAMPAIGN: 'spring', SECRETARY: 'Ann' },
          extraHeaders: { Value: 'v' },
        },
        sensitive,
      ),
    ).toEqual({
      Action: 'Originate',
      Channel: 'Local/100@test',
      Variable: 'A=1,B\\,C=2',
      variables: { CAMPAIGN: 'spring', SECRETARY: 'Ann' },
      extraHeaders: { Value: 'v' },
    });
    expect(redactHeaders({ Action: 'Setvar', Variable: 'CAMPAIGN', Value: 'spring' }, sensitive)).toEqual({
      Action: 'Setvar',
      Variable: 'CAMPAIGN',
      Value: 'spring',
    });
  });

  it('reads only own properties: a polluted Object.prototype adds nothing to the line', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.Polluted = 'from-the-prototype';
    try {
      expect(logged({ Action: 'Ping' })).toBe('{"Action":"Ping"}');
    } finally {
      delete proto.Polluted;
    }
  });
});

describe('redactHeaders: what Asterisk echoes back', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a Getvar answer', { Response: 'Success', Variable: 'SECRET', Value: SECRET }],
    ['a VarSet event', { Event: 'VarSet', Channel: 'Local/1@t-1', Variable: '__Secret', Value: SECRET }],
    ['a ChanVariable of a channel event', { Event: 'Newexten', ChanVariable: `secret=${SECRET}` }],
    [
      'a prefixed ChanVariable (bridge events)',
      { Event: 'BlindTransfer', DestChanVariable: [`KEY=${SECRET}`, 'A=1'] },
    ],
    ['a UserEvent whose sender wrote Secret', { Event: 'UserEvent', UserEvent: 'Boom', Secret: SECRET }],
    ['an error response echoing the Key', { Response: 'Error', Message: 'no', Key: SECRET }],
  ])('%s', (_what, message) => {
    const line = logged(message);
    expect(line).toContain(REDACTED);
    expect(line).not.toContain(SECRET);
  });

  it('a header named __proto__ is copied as a header, not as a prototype', () => {
    const message = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(message, '__proto__', { value: ['a', 'b'], enumerable: true });
    const copy = redactHeaders(message, sensitive);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(Array.isArray(Object.getPrototypeOf(copy))).toBe(false);
  });
});
