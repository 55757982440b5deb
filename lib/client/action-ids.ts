import { randomInt } from 'node:crypto';
import { AmiInvalidActionError } from '../errors/ami-errors.js';

const MAX_PREFIX_LENGTH = 64;
const UNSAFE = /[\r\n\0]/;
const INSTANCE_LENGTH = 8;
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 8 base-36 characters from crypto random: about 41 bits, so two clients almost never share one. */
function instanceTag(): string {
  let tag = '';
  for (let i = 0; i < INSTANCE_LENGTH; i++) tag += BASE36[randomInt(36)];
  return tag;
}

/**
 * ActionIDs `<prefix><instance>-<counter>`: the instance tag is drawn once per client, so IDs are unique
 * across clients, processes and hosts on one Asterisk (which sends some answers, OriginateResponse among
 * them, to every session), and the base-36 counter keeps them short.
 */
export class ActionIdGenerator {
  private counter = 0;
  /** `<prefix><instance>-`: what every ActionID of this generator starts with. */
  readonly stem: string;

  constructor(prefix = '') {
    if (UNSAFE.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
      throw new AmiInvalidActionError(
        `actionIdPrefix must be at most ${MAX_PREFIX_LENGTH} characters without CR, LF or NUL`,
      );
    }
    this.stem = `${prefix}${instanceTag()}-`;
  }

  next(): string {
    this.counter += 1;
    return this.stem + this.counter.toString(36);
  }
}
