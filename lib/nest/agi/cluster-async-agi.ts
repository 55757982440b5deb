import type { AsyncAgiConnection } from '../../agi/async-agi.js';
import type { AmiLogger } from '../../client/ami-client.types.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import { type AmiService, SERVICE_CLUSTER } from '../ami.service.js';

/**
 * How long a replica's claim on an AsyncAGI session is kept in Redis. Every replica reads the same
 * AsyncAGIStart from the stream; one that reads it later than this (far behind) could claim again a
 * session another replica serves, so it is long, and short enough to keep Redis small (one tiny key per call).
 */
export const ASYNC_AGI_CLAIM_TTL = 15 * 60_000;

/**
 * AsyncAGI on a connection in cluster mode. The replica's own AMI session only gets events carrying its
 * ActionIDs, and AsyncAGIStart/Exec/End carry none: they come from the stream, as `AmiService.events()`
 * sees them on every replica (the `every` reader). The `AGI` actions go through the replica's own client
 * (their responses come back to it). Every replica sees each AsyncAGIStart: an atomic claim in Redis
 * (`SET NX` on the call's Uniqueid) lets exactly one handle the session; the others ignore its events.
 */
export function clusterAsyncAgi(
  service: AmiService,
  logger: AmiLogger,
): { connection: AsyncAgiConnection; claim: (channel: string, uniqueId: string) => Promise<boolean> } {
  const view = service[SERVICE_CLUSTER];
  const client = service.client as unknown as Required<Pick<AsyncAgiConnection, 'on' | 'off' | 'send'>>;
  const connection: AsyncAgiConnection = {
    onEvent(name, listener) {
      const subscription = service.events<AmiEvent>([name]).subscribe(listener);
      return () => subscription.unsubscribe();
    },
    send: (action) => client.send(action),
    on: (event, listener) => client.on(event, listener),
    off: (event, listener) => client.off(event, listener),
  };
  const claim = async (channel: string, uniqueId: string): Promise<boolean> => {
    if (view === null) return true;
    try {
      return await view.claim(`agi:${uniqueId !== '' ? uniqueId : channel}`, ASYNC_AGI_CLAIM_TTL);
    } catch (error) {
      logger.warn(
        `AsyncAGI: the claim on ${channel} failed (${error instanceof Error ? error.message : String(error)}); this replica leaves the session to another`,
      );
      return false;
    }
  };
  return { connection, claim };
}
