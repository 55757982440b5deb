import type { Provider } from '@nestjs/common';
import { AmiCallTracker } from '../../calls/call-tracker.js';
import type { AmiCallTrackerOptions } from '../../calls/call-tracker.types.js';
import type { AmiClient } from '../../client/ami-client.js';
import { AMI_CLIENT, AMI_DISPATCHER, AMI_MODULE_OPTIONS } from '../ami.constants.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import type { AmiModuleOptions } from '../interfaces/ami-module-options.interface.js';
import { nestLiveSource } from '../live/nest-live-source.js';
import { getAmiCallsToken } from './ami-calls.token.js';

/**
 * Every connection's AmiCallTracker, always there: until a call is originated or tracked through it, it
 * listens to no event, sends no action and keeps nothing (then a lookup per call event). Its events are what
 * AmiService.events$ sees (in cluster mode, this replica's `every` reader); it resyncs at each login and
 * eventGap. Created with the dispatcher, before the client can connect; stops with it.
 */
export function amiCallsProvider(connection: string): Provider {
  return {
    provide: getAmiCallsToken(connection),
    useFactory: (options: AmiModuleOptions, client: AmiClient, dispatcher: AmiDispatcher): AmiCallTracker => {
      const tracker = new AmiCallTracker(
        nestLiveSource(client, dispatcher),
        callsOptions(options.calls, connection),
      );
      tracker.start();
      dispatcher.onStop(() => tracker.stop());
      return tracker;
    },
    inject: [AMI_MODULE_OPTIONS, AMI_CLIENT, AMI_DISPATCHER],
  };
}

function callsOptions(option: unknown, connection: string): AmiCallTrackerOptions {
  if (option === undefined) return {};
  if (option !== null && typeof option === 'object' && !Array.isArray(option)) return option;
  throw new TypeError(
    `AmiModule (${connection}): \`calls\` must be call tracker options, got ${String(option)}`,
  );
}
