import { AmiError, AmiStoppedError } from '../errors/ami-errors.js';

/** A tracked call whose channels were gone when events could be read again (reconnect, cluster eventGap): how it ended is unknown. */
export class AmiCallLostError extends AmiError {
  override name = 'AmiCallLostError';
  constructor(
    message: string,
    readonly uniqueid: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** track() named a Uniqueid or Linkedid that no channel of Asterisk has. */
export class AmiCallNotFoundError extends AmiError {
  override name = 'AmiCallNotFoundError';
  constructor(
    message: string,
    readonly uniqueid: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The tracker was stopped while the call was being tracked. */
export class AmiCallTrackerStoppedError extends AmiStoppedError {
  override name = 'AmiCallTrackerStoppedError';
  constructor(
    message: string,
    readonly uniqueid: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
