import { AmiInvalidActionError } from '../../errors/ami-errors.js';

/**
 * An event filter (or a user event's name) that cannot be sent: a name with characters no AMI event
 * name has, or a filter that is not a list of names. Raised before anything is written.
 */
export class AmiInvalidEventFilterError extends AmiInvalidActionError {
  override name = 'AmiInvalidEventFilterError';
}
