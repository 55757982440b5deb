import { Logger, type Provider } from '@nestjs/common';
import { AmiClient } from '../client/ami-client.js';
import type { AmiClientOptions, AmiLogger } from '../client/ami-client.types.js';
import { type AmiLogSink, toLogSink } from '../client/ami-logger.js';
import {
  AMI_CLIENT,
  AMI_CONNECTION_NAME,
  AMI_DISPATCHER,
  AMI_LOGGER,
  AMI_MODULE_OPTIONS,
  DEFAULT_AMI_CONNECTION,
} from './ami.constants.js';
import { AmiService } from './ami.service.js';
import { assertConnectionName, connectionName, getAmiServiceToken } from './ami.tokens.js';
import { AmiConnectionLifecycle } from './ami-connection.lifecycle.js';
import { AmiConnectionRegistry } from './ami-connection.registry.js';
import { AmiDispatcher } from './dispatch/ami-dispatcher.js';
import { bindClientToDispatcher } from './dispatch/client-binding.js';
import { AmiHealthIndicator } from './health/ami.health-indicator.js';
import type { AmiModuleOptions } from './interfaces/ami-module-options.interface.js';

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
        provide: AMI_CLIENT,
        useFactory: (options: AmiModuleOptions, logger: AmiLogSink) =>
          new AmiClient({ ...clientOptions(options, connection), logger: logger.target }),
        inject: [AMI_MODULE_OPTIONS, AMI_LOGGER],
      },
      {
        provide: AMI_DISPATCHER,
        useFactory: (
          options: AmiModuleOptions,
          client: AmiClient,
          logger: AmiLogger,
          registry: AmiConnectionRegistry,
        ) => {
          const dispatcher = new AmiDispatcher(connection, logger, options.onHandlerError);
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
        useFactory: (client: AmiClient, dispatcher: AmiDispatcher) =>
          new AmiService(client, connection, dispatcher),
        inject: [AMI_CLIENT, AMI_DISPATCHER],
      },
      AmiConnectionLifecycle,
      AmiHealthIndicator,
    ],
    exports: [serviceToken, AmiHealthIndicator],
  };
}

/** The client's share of the options, checked: a missing setting is named here, not found at login. */
function clientOptions(options: AmiModuleOptions, connection: string): AmiClientOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`AmiModule (${connection}): the options must be an object, got ${String(options)}`);
  }
  const { connectionInit, onHandlerError, shutdownTimeout, eventEmitter, ...client } = options;
  for (const key of ['username', 'secret'] as const) {
    if (typeof client[key] !== 'string' || client[key] === '') {
      throw new TypeError(`AmiModule (${connection}): \`${key}\` is missing or empty`);
    }
  }
  return client;
}
