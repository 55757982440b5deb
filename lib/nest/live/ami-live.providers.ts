import type { Provider } from '@nestjs/common';
import type { AmiClient } from '../../client/ami-client.js';
import type { AmiLogSink } from '../../client/ami-logger.js';
import { AmiLiveState } from '../../live/ami-live-state.js';
import type { AmiLiveOptions } from '../../live/live.types.js';
import { AMI_CLIENT, AMI_DISPATCHER, AMI_LOGGER, AMI_MODULE_OPTIONS } from '../ami.constants.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import type { AmiModuleOptions } from '../interfaces/ami-module-options.interface.js';
import { getAmiLiveToken } from './ami-live.token.js';
import { nestLiveSource } from './nest-live-source.js';

/**
 * The connection's AmiLiveState with the `live` option, else null. Created with the dispatcher, before
 * the client can connect: the first login's resync and every event after it are seen. Stops with the
 * dispatcher.
 */
export function amiLiveProvider(connection: string): Provider {
  return {
    provide: getAmiLiveToken(connection),
    useFactory: (
      options: AmiModuleOptions,
      client: AmiClient,
      dispatcher: AmiDispatcher,
      logger: AmiLogSink,
    ): AmiLiveState | null => {
      const live = liveOptions(options.live, connection);
      if (live === null) return null;
      const state = new AmiLiveState(nestLiveSource(client, dispatcher), { logger: logger.target, ...live });
      dispatcher.onStop(() => state.stop());
      // Not connected yet: start() subscribes and resolves; the resync runs at the login.
      state.start().catch(() => undefined);
      return state;
    },
    inject: [AMI_MODULE_OPTIONS, AMI_CLIENT, AMI_DISPATCHER, AMI_LOGGER],
  };
}

function liveOptions(option: AmiModuleOptions['live'], connection: string): AmiLiveOptions | null {
  if (option === undefined || option === false) return null;
  if (option === true) return {};
  if (option !== null && typeof option === 'object') return option;
  throw new TypeError(
    `AmiModule (${connection}): \`live\` must be true, false or live state options, got ${String(option)}`,
  );
}
