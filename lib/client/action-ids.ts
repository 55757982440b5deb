import { AmiInvalidActionError } from '../errors/ami-errors.js';

const MAX_PREFIX_LENGTH = 64;
const UNSAFE = /[\r\n\0]/;

/** Short ActionIDs unique within one client: a prefix and a counter, never a clock or a random number. */
export class ActionIdGenerator {
  private counter = 0;

  constructor(private readonly prefix = '') {
    if (UNSAFE.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
      throw new AmiInvalidActionError(
        `actionIdPrefix must be at most ${MAX_PREFIX_LENGTH} characters without CR, LF or NUL`,
      );
    }
  }

  next(): string {
    this.counter += 1;
    return this.prefix + this.counter.toString(36);
  }
}
