import { connectionName } from '../ami.tokens.js';

/** The injection token of a connection's AmiCallTracker. For `moduleRef.get(...)` and `Test...overrideProvider(...)`. */
export function getAmiCallsToken(connection?: string): string {
  return `nestjs-ami:AmiCallTracker:${connectionName(connection)}`;
}
