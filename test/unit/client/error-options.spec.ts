import {
  AmiActionError,
  AmiAuthenticationError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiInvalidActionError,
  AmiProtocolError,
  AmiStoppedError,
  AmiTimeoutError,
} from '../../../lib/client.js';
import { AmiRedisError } from '../../../lib/cluster/cluster-errors.js';

describe('error classes', () => {
  it('each takes ErrorOptions last and keeps the cause it wraps', () => {
    const cause = new Error('underneath');
    const errors = [
      new AmiConnectionError('connection', 'ECONNRESET', { cause }),
      new AmiAuthenticationError('authentication', { cause }),
      new AmiProtocolError('protocol', { cause }),
      new AmiInvalidActionError('invalid', { cause }),
      new AmiActionError('action', { Response: 'Error' }, 'Ping', { cause }),
      new AmiTimeoutError('timeout', 'Ping', 100, { cause }),
      new AmiDisconnectedError('disconnected', 'Ping', { cause }),
      new AmiRedisError('redis', 'redis://127.0.0.1:6379', 'ECONNREFUSED', { cause }),
      new AmiStoppedError('stopped', { cause }),
    ];
    expect(errors.map((error) => [error.name, error.cause])).toEqual([
      ['AmiConnectionError', cause],
      ['AmiAuthenticationError', cause],
      ['AmiProtocolError', cause],
      ['AmiInvalidActionError', cause],
      ['AmiActionError', cause],
      ['AmiTimeoutError', cause],
      ['AmiDisconnectedError', cause],
      ['AmiRedisError', cause],
      ['AmiStoppedError', cause],
    ]);
  });
});
