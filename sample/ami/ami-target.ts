import type { AsteriskSettings } from '../config/sample-config.js';

/** Injection token of the AmiTarget: where the AMI connection goes. */
export const AMI_TARGET = Symbol('AMI_TARGET');

export interface AmiTarget extends AsteriskSettings {
  /** True when no AMI_HOST was set and the embedded simulator answers instead of an Asterisk. */
  simulated: boolean;
}
