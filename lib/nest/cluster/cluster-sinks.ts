import type { AmiClusterSinks } from '../../cluster/cluster.types.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import { ClusterDelivery } from './cluster-delivery.js';

/**
 * Binds a cluster node's outputs to the dispatcher: every replica reads for `every` (observers, the
 * bridge, `every` handlers) and the lifecycle; the `once` and `leader` consumers run only when handlers of
 * that mode are wired (a consumer without handlers would acknowledge its group's events for nothing).
 * Called after the handlers are wired.
 */
export function clusterSinks(dispatcher: AmiDispatcher, delivery: ClusterDelivery): AmiClusterSinks {
  const connection = dispatcher.connection;
  return {
    every: delivery.every,
    once: dispatcher.hasHandlers('once') ? delivery.once : undefined,
    leader: dispatcher.hasHandlers('leader') ? delivery.leader : undefined,
    lifecycle: (event) => {
      dispatcher.dispatchLifecycle({ ...event, connection });
    },
  };
}
