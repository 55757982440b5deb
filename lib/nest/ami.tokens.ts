import { DEFAULT_AMI_CONNECTION } from './ami.constants.js';
import { AmiService } from './ami.service.js';

/**
 * The injection token of a connection's AmiService: the `AmiService` class for the unnamed connection,
 * a string for a named one. For `moduleRef.get(...)` and `Test...overrideProvider(...)`.
 */
export function getAmiServiceToken(connection: string = DEFAULT_AMI_CONNECTION): string | typeof AmiService {
  return connection === DEFAULT_AMI_CONNECTION ? AmiService : `nestjs-ami:AmiService:${connection}`;
}

/** The connection a decorator or option names, `default` when none. */
export function connectionName(name: string | undefined): string {
  return name ?? DEFAULT_AMI_CONNECTION;
}

/** Names end up in injection tokens, logger contexts and event-emitter event names: keep them plain. */
export function assertConnectionName(name: unknown): asserts name is string | undefined {
  if (name === undefined) return;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new TypeError(
      `AmiModule: connection name ${JSON.stringify(name)} is invalid: use letters, digits, "_" and "-"`,
    );
  }
}
