import { BadGatewayException, Body, Controller, Get, Post } from '@nestjs/common';
import { AmiActionError, AmiService } from 'nestjs-ami';
import { CallLogService } from './call-log.service.js';
import type { FinishedCall } from './finished-call.js';
import { parseOriginateRequest } from './originate-request.js';

/** What POST /calls answers once the call is up: Asterisk's OriginateResponse, in short. */
export interface OriginatedCall {
  uniqueid: string;
  channel: string;
  response: string;
  /** Asterisk's originate reason: 4 is answered. */
  reason: number;
}

@Controller('calls')
export class CallsController {
  constructor(
    private readonly ami: AmiService,
    private readonly callLog: CallLogService,
  ) {}

  /**
   * Originates a call and answers 201 once the first channel has answered. A call that fails (busy,
   * no answer, no such channel) is a 502 that says why; other AMI errors go to AmiHttpErrorFilter.
   */
  @Post()
  async originate(@Body() body: unknown): Promise<OriginatedCall> {
    const request = parseOriginateRequest(body);
    const result = await this.ami
      .originate({
        Channel: request.channel,
        Context: request.context,
        Exten: request.exten,
        Priority: request.priority,
        Timeout: request.timeout,
        ...(request.callerId === undefined ? {} : { CallerID: request.callerId }),
      })
      .catch((error: unknown) => {
        throw error instanceof AmiActionError ? callFailed(error) : error;
      });
    return {
      uniqueid: String(result.Uniqueid),
      channel: String(result.Channel),
      response: String(result.Response),
      reason: Number(result.Reason),
    };
  }

  /** The latest finished calls, newest first. */
  @Get()
  recent(): FinishedCall[] {
    return this.callLog.recent();
  }
}

// Asterisk's originate reasons (the control frame that ended the attempt).
const ORIGINATE_REASONS: Record<string, string> = {
  '0': 'failed (no such channel or extension?)',
  '1': 'hung up',
  '3': 'not answered in time',
  '5': 'busy',
  '8': 'congestion',
};

function callFailed(error: AmiActionError): BadGatewayException {
  const reason = error.response.Reason;
  const text = typeof reason === 'string' ? (ORIGINATE_REASONS[reason] ?? `reason ${reason}`) : undefined;
  return new BadGatewayException({
    statusCode: 502,
    error: 'Call failed',
    message: text === undefined ? error.message : `The call was not answered: ${text}`,
    reason: typeof reason === 'string' ? Number(reason) : null,
  });
}
