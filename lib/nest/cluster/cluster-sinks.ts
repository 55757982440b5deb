import type { AmiClusterSinks } from '../../cluster/cluster.types.js';
import type { AmiClusterNode } from '../../cluster/cluster-node.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import { ClusterDelivery } from './cluster-delivery.js';

/**
 * Binds a cluster node's outputs to the dispatcher: the lifecycle on every replica; the `every` reader
 * only when something reads it at the bootstrap (`every` handlers, observers, the event-emitter bridge;
 * bindEveryOnDemand starts it at a later first subscription); the `once` and `leader` consumers only when
 * handlers of that mode are wired (a consumer without handlers would acknowledge its group's events for
 * nothing). Called after the handlers are wired.
 */
export function clusterSinks(dispatcher: AmiDispatcher, delivery: ClusterDelivery): AmiClusterSinks {
  const connection = dispatcher.connection;
  return {
    every: dispatcher.wantsEvery ? delivery.every : undefined,
    once: dispatcher.hasHandlers('once') ? delivery.once : undefined,
    leader: dispatcher.hasHandlers('leader') ? delivery.leader : undefined,
    lifecycle: (event) => {
      dispatcher.dispatchLifecycle({ ...event, connection });
    },
  };
}

/**
 * AmiService.events$ (and the other observables) may be subscribed at any time: the node's `every` reader
 * starts at the first subscription, reading from the stream's end then, and runs until the shutdown.
 */
export function bindEveryOnDemand(
  dispatcher: AmiDispatcher,
  delivery: ClusterDelivery,
  node: AmiClusterNode,
): void {
  dispatcher.onObserve(() => {
    void node.readEvery(delivery.every);
  });
}
