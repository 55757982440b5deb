import type { AmiClusterSinks } from '../../cluster/cluster.types.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';

/**
 * Binds a cluster node's outputs to the dispatcher: every replica reads for `every` (observers, the
 * bridge, `every` handlers) and the lifecycle; the `once` and `leader` consumers run only when handlers of
 * that mode are wired (a consumer without handlers would acknowledge its group's events for nothing).
 * Called after the handlers are wired.
 */
export function clusterSinks(dispatcher: AmiDispatcher): AmiClusterSinks {
  const connection = dispatcher.connection;
  return {
    every: dispatcher.deliverEvery,
    once: dispatcher.hasHandlers('once') ? dispatcher.deliverOnce : undefined,
    leader: dispatcher.hasHandlers('leader') ? dispatcher.deliverLeader : undefined,
    lifecycle: (event) => {
      dispatcher.dispatchLifecycle({ ...event, connection });
    },
  };
}
