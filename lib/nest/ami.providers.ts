import { Logger, type Provider } from '@nestjs/common';
import type { AmiCallTracker } from '../calls/call-tracker.js';
import { AmiClient } from '../client/ami-client.js';
import type { AmiClientOptions, AmiLogger } from '../client/ami-client.types.js';
import { type AmiLogSink, toLogSink } from '../client/ami-logger.js';
import { resolveClusterOptions } from '../cluster/cluster-options.js';
import type { AmiLiveState } from '../live/ami-live-state.js';
import {
  AMI_CLIENT,
  AMI_CLIENT_OPTIONS,
  AMI_CLUSTER_VIEW,
  AMI_CONNECTION_NAME,
  AMI_DISPATCHER,
  AMI_LOGGER,
  AMI_MODULE_OPTIONS,
  DEFAULT_AMI_CONNECTION,
} from './ami.constants.js';
import { AmiService } from './ami.service.js';
import { assertConnectionName, connectionName, getAmiServiceToken } from './ami.tokens.js';
import { clientOptions } from './ami-client-options.js';
import { AmiConnectionLifecycle } from './ami-connection.lifecycle.js';
import { AmiConnectionRegistry } from './ami-connection.registry.js';
import { amiCallsProvider } from './calls/ami-calls.providers.js';
import { getAmiCallsToken } from './calls/ami-calls.token.js';
import { AmiClusterNodeView } from './cluster/ami-cluster-view.js';
import { AmiDispatcher } from './dispatch/ami-dispatcher.js';
import { bindClientToDispatcher } from './dispatch/client-binding.js';
import { AmiHealthIndicator } from './health/ami.health-indicator.js';
import type { AmiModuleOptions } from './interfaces/ami-module-options.interface.js';
import { amiLiveProvider } from './live/ami-live.providers.js';
import { getAmiLiveToken } from './live/ami-live.token.js';

/**
 * The providers of one connection (one AmiModule instance), and what it exports. What the application has
 * once (the registry they join, the explorer) comes from AmiCoreModule.
 */
export function amiConnectionProviders(name: string | undefined): {
  providers: Provider[];
  exports: Array<string | symbol | typeof AmiService | typeof AmiHealthIndicator>;
} {
  assertConnectionName(name);
  const connection = connectionName(name);
  const serviceToken = getAmiServiceToken(connection);
  const liveToken = getAmiLiveToken(connection);
  const callsToken = getAmiCallsToken(connection);
  return {
    providers: [
      { provide: AMI_CONNECTION_NAME, useValue: connection },
      {
        provide: AMI_LOGGER,
        // The Nest layer logs through the same guard as the client: a logger that throws loses its line only.
        useFactory: (options: AmiModuleOptions): AmiLogSink =>
          toLogSink(
            options.logger ?? new Logger(connection === DEFAULT_AMI_CONNECTION ? 'Ami' : `Ami:${connection}`),
          ),
        inject: [AMI_MODULE_OPTIONS],
      },
      {
        provide: AMI_CLIENT_OPTIONS,
        useFactory: (options: AmiModuleOptions, logger: AmiLogSink): AmiClientOptions => ({
          ...clientOptions(options, connection),
          logger: logger.target,
        }),
        inject: [AMI_MODULE_OPTIONS, AMI_LOGGER],
      },
      {
        provide: AMI_CLIENT,
        useFactory: (options: AmiClientOptions) => new AmiClient(options),
        inject: [AMI_CLIENT_OPTIONS],
      },
      {
        provide: AMI_CLUSTER_VIEW,
        useFactory: (options: AmiModuleOptions): AmiClusterNodeView | null =>
          // Checked here, when the module is created: a bad option is named before anything starts.
          options.cluster === undefined
            ? null
            : new AmiClusterNodeView(resolveClusterOptions(options.cluster).maxLag),
        inject: [AMI_MODULE_OPTIONS],
      },
      {
        provide: AMI_DISPATCHER,
        useFactory: (
          options: AmiModuleOptions,
          client: AmiClient,
          logger: AmiLogger,
          registry: AmiConnectionRegistry,
        ) => {
          const dispatcher = new AmiDispatcher(
            connection,
            logger,
            options.onHandlerError,
            options.cluster !== undefined,
          );
          // Bound now, before anything can connect the client: no event is missed.
          dispatcher.onStop(bindClientToDispatcher(client, dispatcher));
          // Known to the application's explorer before any bootstrap hook runs.
          registry.register({ name: connection, dispatcher, logger });
          return dispatcher;
        },
        inject: [AMI_MODULE_OPTIONS, AMI_CLIENT, AMI_LOGGER, AmiConnectionRegistry],
      },
      {
        provide: serviceToken,
        useFactory: (
          client: AmiClient,
          dispatcher: AmiDispatcher,
          cluster: AmiClusterNodeView | null,
          live: AmiLiveState | null,
          calls: AmiCallTracker,
        ) => new AmiService(client, connection, dispatcher, cluster, live, calls),
        inject: [AMI_CLIENT, AMI_DISPATCHER, AMI_CLUSTER_VIEW, liveToken, callsToken],
      },
      amiLiveProvider(connection),
      amiCallsProvider(connection),
      AmiConnectionLifecycle,
      AmiHealthIndicator,
    ],
    exports: [serviceToken, liveToken, callsToken, AmiHealthIndicator],
  };
}
