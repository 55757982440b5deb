import { Inject } from '@nestjs/common';
import { getAmiServiceToken } from '../ami.tokens.js';

/** Injects the AmiService of the named connection (`@InjectAmi('pbx2')`), or of the unnamed one. */
export const InjectAmi = (connection?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getAmiServiceToken(connection));
