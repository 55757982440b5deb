import { AmiCallTracker } from '../../calls/call-tracker.js';
import type { AmiCallTrackerOptions } from '../../calls/call-tracker.types.js';
import type { AmiClient } from '../../client/ami-client.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';
import { nestLiveSource } from '../live/nest-live-source.js';

/** A connection's call tracker: started on the connection's live source, stopped with its dispatcher. */
export function connectionCallTracker(
  client: AmiClient,
  dispatcher: AmiDispatcher,
  options: AmiCallTrackerOptions = {},
): AmiCallTracker {
  const tracker = new AmiCallTracker(nestLiveSource(client, dispatcher), options);
  tracker.start();
  dispatcher.onStop(() => tracker.stop());
  return tracker;
}
