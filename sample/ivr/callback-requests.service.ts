import { Injectable } from '@nestjs/common';
import { AmiService } from 'nestjs-ami';

export interface CallbackRequest {
  number: string;
  name: string;
  at: string;
  /** The call it was left in (its Linkedid): the call log marks that call. */
  linkedid: string;
}

/**
 * Callback requests left in the IVR. Each one is also announced on AMI as `UserEvent: IvrCallbackRequest`
 * (Number, Name, Linkedid): the call log marks that call with it (`@OnAmiEvent('UserEvent')`), without
 * depending on the IVR.
 */
@Injectable()
export class CallbackRequests {
  private readonly requests: CallbackRequest[] = [];

  constructor(private readonly ami: AmiService) {}

  async add(number: string, name: string, linkedid: string): Promise<void> {
    this.requests.push({ number, name, linkedid, at: new Date().toISOString() });
    if (this.requests.length > 100) this.requests.shift();
    await this.ami.send({
      Action: 'UserEvent',
      UserEvent: 'IvrCallbackRequest',
      Number: number,
      Name: name,
      Linkedid: linkedid,
    });
  }

  list(): CallbackRequest[] {
    return [...this.requests].reverse();
  }
}
