import { Inject } from '@nestjs/common';
import { getAmiServiceToken } from '../ami.tokens.js';
import { getAmiLiveToken } from '../live/ami-live.token.js';

/** Injects the AmiService of the named connection (`@InjectAmi('pbx2')`), or of the unnamed one. */
export const InjectAmi = (connection?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getAmiServiceToken(connection));

/**
 * Injects the AmiLiveState of the named connection (`@InjectAmiLive('pbx2')`), or of the unnamed one:
 * null unless that connection's module options say `live`.
 */
export const InjectAmiLive = (connection?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getAmiLiveToken(connection));
