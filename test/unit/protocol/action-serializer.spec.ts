import fc from 'fast-check';
import { type AmiAction, AmiInvalidActionError, serializeAction } from '../../../lib/client.js';

const FORBIDDEN = ['\r', '\n', '\0', '\r\n', '\r\n\r\n'];

/** The error serializeAction throws for `action` (fails the test if it returns a frame). */
function refusal(action: AmiAction, actionId = '1'): Error {
  let frame: string | undefined;
  try {
    frame = serializeAction(action, actionId);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected a refusal, got the frame ${JSON.stringify(frame)}`);
}

describe('serializeAction', () => {
  it('writes Action, then the ActionID, then the headers in order, then a blank line', () => {
    expect(serializeAction({ Action: 'Ping' }, 'a1')).toBe('Action: Ping\r\nActionID: a1\r\n\r\n');
    expect(serializeAction({ Action: 'Command', Command: 'core show uptime' }, '2')).toBe(
      'Action: Command\r\nActionID: 2\r\nCommand: core show uptime\r\n\r\n',
    );
  });

  it('writes booleans and numbers as text', () => {
    const frame = serializeAction(
      { Action: 'Originate', Async: true, Priority: 1, Timeout: 30000, Early: false },
      '1',
    );
    expect(frame).toBe(
      'Action: Originate\r\nActionID: 1\r\nAsync: true\r\nPriority: 1\r\nTimeout: 30000\r\nEarly: false\r\n\r\n',
    );
  });

  it('leaves out undefined and null headers', () => {
    expect(serializeAction({ Action: 'Ping', A: undefined, B: null }, '1')).toBe(
      'Action: Ping\r\nActionID: 1\r\n\r\n',
    );
  });

  it('leaves out null and undefined the same way at every level: array items, variables, extraHeaders', () => {
    const action = {
      Action: 'Originate',
      Filter: ['a', null, undefined, 'b'],
      Empty: [null, undefined],
      variables: { A: '1', B: null, C: undefined },
      extraHeaders: { X: 'x', Y: null, Z: undefined, W: [undefined, 'w', null] },
      V: null,
      variablesAfter: undefined,
    } as unknown as AmiAction;
    expect(serializeAction(action, '1')).toBe(
      'Action: Originate\r\nActionID: 1\r\nFilter: a\r\nFilter: b\r\nVariable: A=1\r\nX: x\r\nW: w\r\n\r\n',
    );
    expect(
      serializeAction(
        { Action: 'Ping', variables: null, extraHeaders: undefined } as unknown as AmiAction,
        '1',
      ),
    ).toBe('Action: Ping\r\nActionID: 1\r\n\r\n');
  });

  describe('only own enumerable properties become headers, at every level', () => {
    const proto = Object.prototype as Record<string, unknown>;
    afterEach(() => {
      for (const key of ['Polluted', 'Action', 'variables', 'extraHeaders']) delete proto[key];
    });

    it('a key put on Object.prototype adds no header, no variable and no extra header', () => {
      proto.Polluted = 'from-the-prototype';
      const frame = serializeAction(
        { Action: 'Originate', Channel: 'Local/1@t', variables: { A: '1' }, extraHeaders: { X: 'x' } },
        '1',
      );
      expect(frame).toBe(
        'Action: Originate\r\nActionID: 1\r\nChannel: Local/1@t\r\nVariable: A=1\r\nX: x\r\n\r\n',
      );
    });

    it('inherited variables or extraHeaders are not written', () => {
      proto.variables = { INJECTED: '1' };
      proto.extraHeaders = { Injected: '1' };
      expect(serializeAction({ Action: 'Ping' }, '1')).toBe('Action: Ping\r\nActionID: 1\r\n\r\n');
    });

    it('an inherited Action does not name the action', () => {
      proto.Action = 'Command';
      expect(refusal({} as AmiAction)).toBeInstanceOf(AmiInvalidActionError);
    });

    it('non-enumerable own properties are not written', () => {
      const action: AmiAction = { Action: 'Ping' };
      Object.defineProperty(action, 'Hidden', { value: 'x', enumerable: false });
      expect(serializeAction(action, '1')).toBe('Action: Ping\r\nActionID: 1\r\n\r\n');
    });
  });

  it('repeats a header for each item of an array, in order', () => {
    expect(
      serializeAction({ Action: 'Filter', Filter: ['Event: Hangup', 'Event: Newchannel', 3] }, '1'),
    ).toBe(
      'Action: Filter\r\nActionID: 1\r\nFilter: Event: Hangup\r\nFilter: Event: Newchannel\r\nFilter: 3\r\n\r\n',
    );
  });

  it('writes variables as `Variable: name=value` headers', () => {
    const frame = serializeAction(
      {
        Action: 'Originate',
        Channel: 'Local/100@test',
        variables: { CAMPAIGN: 'spring', RETRIES: 3, VIP: true },
      },
      '1',
    );
    expect(frame.split('\r\n').filter((line) => line.startsWith('Variable: '))).toEqual([
      'Variable: CAMPAIGN=spring',
      'Variable: RETRIES=3',
      'Variable: VIP=true',
    ]);
  });

  it('does not let a variable value smuggle a second variable through a comma', () => {
    const frame = serializeAction({ Action: 'Originate', variables: { A: 'x,B=1' } }, '1');
    const variables = frame.split('\r\n').filter((line) => line.startsWith('Variable: '));
    expect(variables).toEqual(['Variable: A=x\\,B=1']);
  });

  it('escapes each of \\ " , ( ) with a backslash, in variable names and values, and nothing else', () => {
    const frame = serializeAction(
      { Action: 'Originate', variables: { 'N(a,b)': 'a\\b"c,d(e)f', PLAIN: 'x=y;z é' } },
      '1',
    );
    expect(frame.split('\r\n').filter((line) => line.startsWith('Variable: '))).toEqual([
      'Variable: N\\(a\\,b\\)=a\\\\b\\"c\\,d\\(e\\)f',
      'Variable: PLAIN=x=y;z é',
    ]);
  });

  it('writes extraHeaders as plain headers, arrays repeated', () => {
    const frame = serializeAction(
      {
        Action: 'QueueAdd',
        Queue: 'support',
        extraHeaders: { 'X-Custom': 'one', Penalty: 2, Paused: [true, false] },
      },
      '1',
    );
    expect(frame).toBe(
      'Action: QueueAdd\r\nActionID: 1\r\nQueue: support\r\nX-Custom: one\r\nPenalty: 2\r\nPaused: true\r\nPaused: false\r\n\r\n',
    );
  });

  it('passes UTF-8 values through untouched', () => {
    expect(serializeAction({ Action: 'Originate', CallerID: '"Zoë 李 🎧" <100>' }, '1')).toContain(
      'CallerID: "Zoë 李 🎧" <100>\r\n',
    );
  });
});

describe('serializeAction refuses, with AmiInvalidActionError and no frame', () => {
  it('an action without a name', () => {
    expect(refusal({ Action: '' })).toBeInstanceOf(AmiInvalidActionError);
    expect(refusal({} as AmiAction)).toBeInstanceOf(AmiInvalidActionError);
  });

  it.each(['ActionID', 'actionid', 'ACTIONID', 'ActionId'])('an ActionID from the user (%s)', (header) => {
    const error = refusal({ Action: 'Ping', [header]: 'mine' });
    expect(error).toBeInstanceOf(AmiInvalidActionError);
    expect(error.message).toMatch(/ActionID/);
    expect(refusal({ Action: 'Ping', extraHeaders: { [header]: 'mine' } })).toBeInstanceOf(
      AmiInvalidActionError,
    );
  });

  it.each(['action', 'ACTION', 'aCtIoN'])('a second Action header (%s)', (header) => {
    const error = refusal({ Action: 'Ping', [header]: 'Originate' });
    expect(error).toBeInstanceOf(AmiInvalidActionError);
    expect(error.message).toContain('would repeat the Action header');
  });

  describe('a lone UTF-16 surrogate (it has no UTF-8 form and would leave as U+FFFD)', () => {
    it.each<[string, AmiAction]>([
      ['in a header value', { Action: 'Originate', CallerID: 'Ren\ud800e s3cret' }],
      ['in a header name', { Action: 'Originate', ['X\udc00']: 'v' }],
      ['in a variable name', { Action: 'Originate', variables: { ['V\ud800']: 'x' } }],
      ['in a variable value', { Action: 'Originate', variables: { V: 'a\udfffb s3cret' } }],
      ['in an extra header value', { Action: 'Originate', extraHeaders: { X: '\ud83d s3cret' } }],
    ])('%s', (_where, action) => {
      const error = refusal(action);
      expect(error).toBeInstanceOf(AmiInvalidActionError);
      expect(error.message).not.toContain('s3cret');
    });

    it('while a surrogate pair (an emoji) passes through', () => {
      expect(serializeAction({ Action: 'Originate', CallerID: 'Zoë 🎧' }, '1')).toContain(
        'CallerID: Zoë 🎧\r\n',
      );
    });
  });

  it.each(['Bad Header ', ' Lead', 'Has:Colon', ''])('the header name %j', (header) => {
    expect(refusal({ Action: 'Ping', [header]: 'v' })).toBeInstanceOf(AmiInvalidActionError);
  });

  it.each([
    ['an object', { nested: 1 }],
    ['a function', () => 1],
    ['an array holding an object', ['a', { b: 1 }]],
  ])('a header value that is %s', (_what, value) => {
    expect(refusal({ Action: 'Ping', Header: value as never })).toBeInstanceOf(AmiInvalidActionError);
  });

  it.each(['', 'A=B', 'Has:Colon'])('the variable name %j', (name) => {
    expect(refusal({ Action: 'Originate', variables: { [name]: 'v' } })).toBeInstanceOf(
      AmiInvalidActionError,
    );
  });

  it('variables or extraHeaders that are not objects', () => {
    expect(refusal({ Action: 'Originate', variables: 'A=1' as never })).toBeInstanceOf(AmiInvalidActionError);
    expect(refusal({ Action: 'Originate', extraHeaders: ['A: 1'] as never })).toBeInstanceOf(
      AmiInvalidActionError,
    );
  });

  describe.each(FORBIDDEN)('%j (header injection) anywhere', (bad) => {
    const smuggled = `x${bad}Action: Command${bad}Command: core stop now`;
    it.each<[string, AmiAction]>([
      ['in Action', { Action: `Ping${bad}` }],
      ['in a header value', { Action: 'Originate', CallerID: smuggled }],
      ['in a header name', { Action: 'Originate', [`Caller${bad}ID`]: 'x' }],
      ['in an array item', { Action: 'Filter', Filter: ['ok', smuggled] }],
      ['in a variable name', { Action: 'Originate', variables: { [`A${bad}B`]: 'x' } }],
      ['in a variable value', { Action: 'Originate', variables: { A: smuggled } }],
      ['in an extra header name', { Action: 'Originate', extraHeaders: { [`X${bad}Y`]: 'x' } }],
      ['in an extra header value', { Action: 'Originate', extraHeaders: { X: smuggled } }],
      ['in a secret', { Action: 'Login', Username: 'admin', Secret: `s3cret${bad}` }],
    ])('%s', (_where, action) => {
      const error = refusal(action);
      expect(error).toBeInstanceOf(AmiInvalidActionError);
      expect(error.message).not.toContain('core stop now');
      expect(error.message).not.toContain('s3cret');
    });
  });

  it('in an ActionID handed over by the client', () => {
    expect(refusal({ Action: 'Ping' }, `1${'\r\n'}Action: Command`)).toBeInstanceOf(AmiInvalidActionError);
  });

  it('any CR, LF or NUL at any position of any value, and never echoes the value', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom('\r', '\n', '\0'),
        fc.constantFrom('value', 'variable', 'extra', 'array'),
        (before, after, bad, where) => {
          const value = `${before}${bad}${after}`;
          const action: AmiAction =
            where === 'value'
              ? { Action: 'Originate', Data: value }
              : where === 'variable'
                ? { Action: 'Originate', variables: { V: value } }
                : where === 'extra'
                  ? { Action: 'Originate', extraHeaders: { X: value } }
                  : { Action: 'Originate', Data: ['fine', value] };
          const error = refusal(action);
          return (
            error instanceof AmiInvalidActionError && (value.length < 8 || !error.message.includes(value))
          );
        },
      ),
    );
  });

  it('accepts every value free of CR, LF and NUL, and writes it verbatim', () => {
    fc.assert(
      fc.property(
        fc.string().filter((value) => !/[\r\n\0]/.test(value)),
        (value) =>
          serializeAction({ Action: 'Originate', Data: value }, '1') ===
          `Action: Originate\r\nActionID: 1\r\nData: ${value}\r\n\r\n`,
      ),
    );
  });
});
