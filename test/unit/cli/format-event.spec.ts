import { clockTime, formatEventJson, formatEventLine } from '../../../lib/cli/format-event.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';

const at = new Date(2026, 10, 22, 14, 2, 11, 123);

const hangup: AmiEvent = {
  Event: 'Hangup',
  Privilege: 'call,all',
  Channel: 'Local/100@test-00000001;1',
  AccountCode: '',
  Cause: '16',
  'Cause-txt': 'Normal Clearing',
};

describe('formatEventLine', () => {
  it('prints time, name, then each header as Key=value, quoting values with spaces or empty', () => {
    expect(formatEventLine(hangup, at)).toBe(
      '14:02:11.123 Hangup Channel=Local/100@test-00000001;1 AccountCode="" Cause=16 Cause-txt="Normal Clearing"',
    );
  });

  it('prints a repeated header once per value', () => {
    const event: AmiEvent = { Event: 'TestEvent', State: ['CallIDChange', 'Up'] };
    expect(formatEventLine(event, at)).toBe('14:02:11.123 TestEvent State=CallIDChange State=Up');
  });

  it('quotes and escapes values holding quotes, backslashes or =', () => {
    const event: AmiEvent = { Event: 'VarSet', Variable: 'X', Value: 'a="b" c\\d=e' };
    expect(formatEventLine(event, at)).toBe('14:02:11.123 VarSet Variable=X Value="a=\\"b\\" c\\\\d=e"');
  });

  it('keeps one event on one line and no terminal escape through', () => {
    const event: AmiEvent = {
      Event: 'Newcallerid',
      CallerIDName: 'evil\r\n\u001b[31mred\u202e',
    };
    const line = formatEventLine(event, at);
    expect(line).toBe('14:02:11.123 Newcallerid CallerIDName="evil\\r\\n\\u001b[31mred\\u202e"');
    for (const raw of ['\r', '\n', '\u001b', '\u202e']) expect(line).not.toContain(raw);
  });

  it('prints UTF-8 names as they are', () => {
    const event: AmiEvent = { Event: 'Newchannel', CallerIDName: 'Zoë_Ærø', Exten: '☎' };
    expect(formatEventLine(event, at)).toBe('14:02:11.123 Newchannel CallerIDName=Zoë_Ærø Exten=☎');
  });
});

describe('clockTime', () => {
  it('pads each part', () => {
    expect(clockTime(new Date(2026, 0, 2, 3, 4, 5, 6))).toBe('03:04:05.006');
  });
});

describe('formatEventJson', () => {
  it('is one line of JSON: receivedAt first, then every header as received', () => {
    const event: AmiEvent = { ...hangup, Note: ['one', 'two'], Text: 'line\nbreak' };
    const line = formatEventJson(event, at);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(Object.keys(parsed)[0]).toBe('receivedAt');
    expect(parsed).toEqual({ receivedAt: at.toISOString(), ...event });
  });
});
