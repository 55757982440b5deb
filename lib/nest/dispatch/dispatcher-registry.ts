import type { AmiService } from '../ami.service.js';
import type { AmiDispatcher } from './ami-dispatcher.js';

// Which dispatcher serves which AmiService, for the testing support, without a public accessor on the service.
const dispatchers = new WeakMap<AmiService, AmiDispatcher>();

export function registerDispatcher(service: AmiService, dispatcher: AmiDispatcher): void {
  dispatchers.set(service, dispatcher);
}

export function dispatcherOf(service: AmiService): AmiDispatcher | undefined {
  return dispatchers.get(service);
}
