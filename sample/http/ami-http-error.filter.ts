import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  AmiActionError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiError,
  AmiInvalidActionError,
  AmiTimeoutError,
} from 'nestjs-ami';

/** Turns the AMI client's typed errors into HTTP answers that say what went wrong. */
@Catch(AmiError)
export class AmiHttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AmiHttpErrorFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: AmiError, host: ArgumentsHost): void {
    const status = statusOf(error);
    if (status >= 500) this.logger.warn(`${error.name}: ${error.message}`);
    const body = { statusCode: status, error: error.name, message: error.message };
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, status);
  }
}

function statusOf(error: AmiError): number {
  if (error instanceof AmiInvalidActionError) return HttpStatus.BAD_REQUEST;
  // Asterisk refused the action, or the call failed (busy, no answer): the upstream said no.
  if (error instanceof AmiActionError) return HttpStatus.BAD_GATEWAY;
  if (error instanceof AmiTimeoutError) return HttpStatus.GATEWAY_TIMEOUT;
  if (error instanceof AmiDisconnectedError || error instanceof AmiConnectionError) {
    return HttpStatus.SERVICE_UNAVAILABLE;
  }
  return HttpStatus.INTERNAL_SERVER_ERROR;
}
