import { AmiInvalidActionError, type AmiTypedAction, serializeAction } from '../../../lib/client.js';

// Typed actions reject undeclared parameters at compile time; `extraHeaders` is how one still sends
// a header its type does not know (a patched or newer Asterisk). The serializer writes them as headers.

describe('extraHeaders', () => {
  it('are written as plain headers after the declared ones, arrays repeating the header', () => {
    const action: AmiTypedAction<'Originate'> = {
      Action: 'Originate',
      Channel: 'Local/100@test',
      extraHeaders: { 'X-Tenant': 'acme', Codecs: ['ulaw', 'alaw'], Skipped: undefined, Dropped: null },
      Async: true,
    };
    expect(serializeAction(action, 'id-1')).toBe(
      'Action: Originate\r\nActionID: id-1\r\nChannel: Local/100@test\r\n' +
        'X-Tenant: acme\r\nCodecs: ulaw\r\nCodecs: alaw\r\nAsync: true\r\n\r\n',
    );
  });

  it('refuse what would inject headers, and the ActionID and Action the client writes', () => {
    const send = (extraHeaders: Record<string, string>) => () =>
      serializeAction({ Action: 'Ping', extraHeaders }, 'id-2');
    expect(send({ 'X-Evil': 'a\r\nAction: Command' })).toThrow(AmiInvalidActionError);
    expect(send({ 'X-Evil\r\nAction': 'Command' })).toThrow(AmiInvalidActionError);
    expect(send({ 'X:Colon': 'value' })).toThrow(AmiInvalidActionError);
    expect(send({ actionid: 'mine' })).toThrow(/cannot be an extra header/);
    expect(send({ Action: 'Command' })).toThrow(/cannot be an extra header/);
    expect(() => serializeAction({ Action: 'Ping', extraHeaders: ['X: y'] as never }, 'id-3')).toThrow(
      /must be an object/,
    );
  });
});
