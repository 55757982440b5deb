import { connectionName } from '../ami.tokens.js';

/**
 * The injection token of a connection's AmiLiveState (null unless its module options say `live`).
 * For `moduleRef.get(...)` and `Test...overrideProvider(...)`.
 */
export function getAmiLiveToken(connection?: string): string {
  return `nestjs-ami:AmiLiveState:${connectionName(connection)}`;
}
