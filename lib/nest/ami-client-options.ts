import type { AmiClientOptions } from '../client/ami-client.types.js';
import type { AmiModuleOptions } from './interfaces/ami-module-options.interface.js';

/** The client's share of the options, checked: a missing setting is named here, not found at login. */
export function clientOptions(options: AmiModuleOptions, connection: string): AmiClientOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`AmiModule (${connection}): the options must be an object, got ${String(options)}`);
  }
  const { connectionInit, onHandlerError, shutdownTimeout, eventEmitter, cluster, live, calls, ...client } =
    options;
  for (const key of ['username', 'secret'] as const) {
    if (typeof client[key] !== 'string' || client[key] === '') {
      throw new TypeError(`AmiModule (${connection}): \`${key}\` is missing or empty`);
    }
  }
  return client;
}
