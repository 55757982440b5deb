import { parseActionArguments } from '../../../lib/cli/action-arguments.js';
import { CliUsageError } from '../../../lib/cli/usage-error.js';

describe('parseActionArguments', () => {
  it('reads Action=Name and Key=Value headers', () => {
    expect(parseActionArguments(['Action=Hangup', 'Channel=PJSIP/alice-00000001', 'Cause=16'])).toEqual({
      Action: 'Hangup',
      Channel: 'PJSIP/alice-00000001',
      Cause: '16',
    });
  });

  it('takes a first argument without = as the action name', () => {
    expect(parseActionArguments(['CoreShowChannels'])).toEqual({ Action: 'CoreShowChannels' });
    expect(parseActionArguments(['Command', 'Command=core show version'])).toEqual({
      Action: 'Command',
      Command: 'core show version',
    });
  });

  it('accepts the Action key in any case', () => {
    expect(parseActionArguments(['action=Ping'])).toEqual({ Action: 'Ping' });
  });

  it('splits at the first = only, and keeps empty values', () => {
    expect(parseActionArguments(['Action=Setvar', 'Variable=A=B=C', 'Value='])).toEqual({
      Action: 'Setvar',
      Variable: 'A=B=C',
      Value: '',
    });
  });

  it('sends a repeated key once per value, in order', () => {
    expect(
      parseActionArguments(['Originate', 'Variable=A=1', 'Channel=Local/1@test', 'Variable=B=2']),
    ).toEqual({
      Action: 'Originate',
      Variable: ['A=1', 'B=2'],
      Channel: 'Local/1@test',
    });
  });

  it.each([
    [[], 'no action'],
    [['Channel=x'], 'no action'],
    [['Ping', 'Pong'], '"Pong" is not Key=Value'],
    [['Action=Ping', 'Ping'], '"Ping" is not Key=Value'],
    [['Ping', '=x'], 'no key'],
    [['Action='], 'needs a name'],
    [['Ping', 'Action=Pong'], 'named twice'],
    [['Ping', 'ActionID=mine'], 'ActionID is set by nestjs-ami'],
    [['Ping', 'variables=x'], 'write "Variables" instead'],
  ])('refuses %j (%s)', (args, message) => {
    expect(() => parseActionArguments(args)).toThrow(CliUsageError);
    expect(() => parseActionArguments(args)).toThrow(message);
  });
});
