import { BadRequestException } from '@nestjs/common';
import { parseOriginateRequest } from '../../../sample/calls/originate-request.js';

const valid = { channel: 'PJSIP/alice', context: 'default', exten: '200' };

/** The 400's message for that body. */
function refusal(body: unknown): string {
  try {
    parseOriginateRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).message;
  }
  throw new Error('the body was accepted');
}

describe('parseOriginateRequest (POST /calls body)', () => {
  it('fills the defaults', () => {
    expect(parseOriginateRequest(valid)).toEqual({ ...valid, priority: 1, timeout: 30_000 });
  });

  it('keeps the optional fields given', () => {
    const body = { ...valid, priority: 2, timeout: 5_000, callerId: '"Sales" <2000>' };
    expect(parseOriginateRequest(body)).toEqual(body);
  });

  it.each([
    [null, 'The body must be a JSON object'],
    [[valid], 'The body must be a JSON object'],
    [{ ...valid, channel: 'alice' }, 'channel must be a dial string such as PJSIP/alice or Local/100@test'],
    [
      { ...valid, channel: 'PJSIP/alice bob' },
      'channel must be a dial string such as PJSIP/alice or Local/100@test',
    ],
    [{ ...valid, context: undefined }, 'context must be a dialplan context'],
    [{ ...valid, exten: 200 }, 'exten must be a dialplan extension'],
    [{ ...valid, exten: '200\r\nAction: Command' }, 'exten must be a dialplan extension'],
    [{ ...valid, priority: 0 }, 'priority must be an integer from 1 to 10000'],
    [{ ...valid, timeout: '30' }, 'timeout must be an integer from 1000 to 600000'],
    [{ ...valid, callerId: 42 }, 'callerId must be a string of at most 200 characters'],
  ])('refuses %j: %s', (body, message) => {
    expect(refusal(body)).toBe(message);
  });
});
