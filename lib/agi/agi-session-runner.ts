import type { AmiLogger } from '../client/ami-client.types.js';
import type { AgiCall } from './agi-call.js';
import { AmiAgiHangupError } from './agi-errors.js';
import type { AmiAgiRouter } from './agi-router.js';

export interface AgiRunOptions {
  logger: AmiLogger;
  /** Hang up the channel when its handler throws (default true); false lets the dialplan go on. */
  hangupOnError?: boolean;
  /** Called with a handler's error (besides the log line). */
  onError?: (error: unknown, call: AgiCall) => void;
}

/**
 * Runs the handler of one session and always ends it: never rejects, so a throwing handler cannot crash
 * the process. A hangup in the middle of a command is the caller's right, logged at debug level only.
 */
export async function runAgiSession(
  call: AgiCall,
  router: AmiAgiRouter,
  options: AgiRunOptions,
): Promise<void> {
  const handler = router.find(call.script);
  try {
    if (handler === undefined) {
      options.logger.warn(`AGI: no handler for script "${call.script}" (channel ${call.channel})`);
      return;
    }
    await handler(call);
  } catch (error) {
    if (error instanceof AmiAgiHangupError) {
      options.logger.debug?.(`AGI ${call.script}: ${call.channel} hung up (${error.message})`);
      return;
    }
    options.logger.error(
      `AGI ${call.script}: the handler failed on ${call.channel}: ${error instanceof Error ? error.message : String(error)}`,
    );
    try {
      options.onError?.(error, call);
    } catch {
      // an error hook that throws must not end the process either
    }
    if (options.hangupOnError !== false && !call.isEnded) await call.hangup().catch(() => undefined);
  } finally {
    call.end();
  }
}
