import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AmiClient } from '../client/ami-client.js';
import type { AmiClientOptions, AmiLogger, AmiReconnectingInfo } from '../client/ami-client.types.js';
import { AmiClusterNode } from '../cluster/cluster-node.js';
import { AmiConnectionError, AmiDisconnectedError } from '../errors/ami-errors.js';
import {
  AMI_CLIENT,
  AMI_CLIENT_OPTIONS,
  AMI_CLUSTER_VIEW,
  AMI_CONNECTION_NAME,
  AMI_DISPATCHER,
  AMI_LOGGER,
  AMI_MODULE_OPTIONS,
} from './ami.constants.js';
import { AmiExplorer } from './ami.explorer.js';
import { attachEventEmitterBridge } from './bridges/event-emitter.bridge.js';
import type { AmiClusterNodeView } from './cluster/ami-cluster-view.js';
import { ClusterDelivery } from './cluster/cluster-delivery.js';
import { bindEveryOnDemand, clusterSinks } from './cluster/cluster-sinks.js';
import type { AmiDispatcher } from './dispatch/ami-dispatcher.js';
import type { AmiModuleOptions } from './interfaces/ami-module-options.interface.js';

export const DEFAULT_INIT_TIMEOUT = 30_000;
export const DEFAULT_SHUTDOWN_TIMEOUT = 10_000;

/**
 * Opens and closes one connection with the application.
 *
 * Bootstrap order (onApplicationBootstrap, when every provider exists and every onModuleInit has run):
 * 1. wire the handlers (the application's explorer scans once, on the first connection's bootstrap, for
 * every connection); 2. attach the event-emitter bridge; 3. mark the dispatcher ready;
 * 4. only then connect. The dispatcher listens to the client from its creation and holds back any event
 * that comes before step 3 (a client connected by hand in an onModuleInit), so none is lost.
 *
 * Close (onModuleDestroy, before any beforeApplicationShutdown/onApplicationShutdown, where the
 * resources handlers use are usually closed): stop dispatching, wait (bounded) for running handlers,
 * Logoff, close the socket.
 *
 * Cluster mode: after step 3 the cluster node is created (its consumers depend on the handlers wired)
 * and started: Redis (a failure is an AmiRedisError, handled like a failed login per
 * connectionInit.failOnError), its consumers, its leadership; then the action client connects. Close:
 * the node stops first (lease released, consumers stopped, bounded), then dispatching stops, running
 * handlers drain, and the action client logs off.
 */
@Injectable()
export class AmiConnectionLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private closing = false;
  /** While the bootstrap waits for the first login, it reports the failure itself. */
  private bootstrapWaiting = false;
  private node: AmiClusterNode | null = null;

  constructor(
    @Inject(AMI_MODULE_OPTIONS) private readonly options: AmiModuleOptions,
    @Inject(AMI_CONNECTION_NAME) private readonly connection: string,
    @Inject(AMI_CLIENT) private readonly client: AmiClient,
    @Inject(AMI_DISPATCHER) private readonly dispatcher: AmiDispatcher,
    @Inject(AMI_LOGGER) private readonly logger: AmiLogger,
    @Inject(AMI_CLIENT_OPTIONS) private readonly clientOptions: AmiClientOptions,
    @Inject(AMI_CLUSTER_VIEW) private readonly clusterView: AmiClusterNodeView | null,
    private readonly explorer: AmiExplorer,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.explorer.exploreOnce();
    if (this.options.eventEmitter) {
      await attachEventEmitterBridge(this.moduleRef, this.dispatcher, this.options.eventEmitter);
    }
    this.dispatcher.markReady();
    if (this.clusterView !== null) await this.startCluster(this.clusterView);
    await this.connectAtBootstrap();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const timeout = this.options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT;
    if (this.node !== null) await this.stopCluster(this.node, timeout);
    this.dispatcher.stop();
    await this.dispatcher.drain(timeout);
    await this.client.disconnect();
  }

  private async startCluster(view: AmiClusterNodeView): Promise<void> {
    const cluster = this.options.cluster;
    if (cluster === undefined) return;
    const delivery = new ClusterDelivery(this.dispatcher, cluster.handlerTimeout);
    const node = new AmiClusterNode({
      connection: this.connection,
      client: this.client,
      clientOptions: this.clientOptions,
      cluster,
      logger: this.logger,
      sinks: clusterSinks(this.dispatcher, delivery),
    });
    this.node = node;
    view.attach(node);
    bindEveryOnDemand(this.dispatcher, delivery, node);
    const { wait = true, failOnError = true } = this.options.connectionInit ?? {};
    const starting = node.start();
    if (!wait) {
      starting.catch((error: Error) => this.onClusterStartFailure(error));
      return;
    }
    try {
      await starting;
    } catch (error) {
      if (failOnError) {
        this.node = null;
        await node.stop(0).catch(() => undefined);
        throw error;
      }
      this.onClusterStartFailure(error as Error);
    }
  }

  private onClusterStartFailure(error: Error): void {
    if (this.closing) return;
    this.logger.error(
      `AMI ${this.connection}: cluster mode did not start (${error.message}); no event reaches the handlers`,
    );
  }

  private async stopCluster(node: AmiClusterNode, timeout: number): Promise<void> {
    try {
      await node.stop(timeout);
    } catch (error) {
      this.logger.error(`AMI ${this.connection}: stopping cluster mode failed: ${(error as Error).message}`);
    }
  }

  private async connectAtBootstrap(): Promise<void> {
    const { connect = true, wait = true, failOnError = true } = this.options.connectionInit ?? {};
    const timeout = this.options.connectionInit?.timeout ?? DEFAULT_INIT_TIMEOUT;
    if (!connect) return;
    const connecting = this.client.connect({ retry: true });
    // Whatever happens to the first login from here on is logged, never an unhandled rejection.
    const settled = connecting.catch((error: Error) => this.onBackgroundFailure(error));
    if (!wait) return;
    this.bootstrapWaiting = true;
    let lastError: Error | undefined;
    const remember = (info: AmiReconnectingInfo) => {
      lastError = info.error ?? lastError;
    };
    this.client.on('reconnecting', remember);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.timeoutError(timeout, lastError)), timeout);
    });
    try {
      await Promise.race([connecting, timedOut]);
    } catch (error) {
      if (failOnError) {
        this.client.destroy();
        await settled;
        throw error;
      }
      this.logger.warn(
        `AMI ${this.connection}: not connected at startup (${(error as Error).message}); starting anyway${
          this.client.willReconnect ? ', still trying in the background' : ''
        }`,
      );
    } finally {
      this.bootstrapWaiting = false;
      clearTimeout(timer);
      this.client.off('reconnecting', remember);
    }
  }

  private timeoutError(timeout: number, lastError: Error | undefined): AmiConnectionError {
    const cause = lastError === undefined ? '' : `; last error: ${lastError.message}`;
    return new AmiConnectionError(
      `AMI ${this.connection}: no login within ${timeout} ms (connectionInit.timeout)${cause}`,
      'ETIMEDOUT',
      lastError === undefined ? undefined : { cause: lastError },
    );
  }

  private onBackgroundFailure(error: Error): void {
    if (this.closing || this.bootstrapWaiting || error instanceof AmiDisconnectedError) return;
    this.logger.error(`AMI ${this.connection}: gave up connecting: ${error.message}`);
  }
}
