import { Controller, Get } from '@nestjs/common';
import { type CallbackRequest, CallbackRequests } from './callback-requests.service.js';

@Controller('ivr')
export class IvrController {
  constructor(private readonly callbacks: CallbackRequests) {}

  /** The callback requests left in the IVR, newest first. */
  @Get('callbacks')
  callbackRequests(): CallbackRequest[] {
    return this.callbacks.list();
  }
}
