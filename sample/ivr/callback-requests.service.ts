import { Injectable } from '@nestjs/common';
import { AmiService } from 'nestjs-ami';

export interface CallbackRequest {
  number: string;
  name: string;
  at: string;
}

/**
 * Callback requests left in the IVR. Each one is also announced on AMI as `UserEvent: IvrCallbackRequest`
 * (Number, Name): the call log can pick it up with `@OnAmiEvent('UserEvent')` without depending on the IVR.
 */
@Injectable()
export class CallbackRequests {
  private readonly requests: CallbackRequest[] = [];

  constructor(private readonly ami: AmiService) {}

  async add(number: string, name: string): Promise<void> {
    this.requests.push({ number, name, at: new Date().toISOString() });
    if (this.requests.length > 100) this.requests.shift();
    await this.ami.send({ Action: 'UserEvent', UserEvent: 'IvrCallbackRequest', Number: number, Name: name });
  }

  list(): CallbackRequest[] {
    return [...this.requests].reverse();
  }
}
