import { Inject } from '@nestjs/common';
import { getAmiCallsToken } from '../calls/ami-calls.token.js';

/** Injects the AmiCallTracker of the named connection (`@InjectAmiCalls('pbx2')`), or of the unnamed one. */
export const InjectAmiCalls = (connection?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getAmiCallsToken(connection));
