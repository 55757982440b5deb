import { Injectable } from '@nestjs/common';
import { type AgiCall, AmiService, OnAgi } from 'nestjs-ami';
import { CallbackRequests } from './callback-requests.service.js';

/**
 * The sample IVR. Dialplan: `AGI(agi:async,main-menu)` (over the AMI connection) or
 * `AGI(agi://127.0.0.1:4573/main-menu)` (the FastAGI server). 1: hear how many calls are in progress;
 * 2: leave a callback request.
 */
@Injectable()
export class MainMenu {
  constructor(
    private readonly ami: AmiService,
    private readonly callbacks: CallbackRequests,
  ) {}

  @OnAgi('main-menu')
  async run(call: AgiCall): Promise<void> {
    await call.answer();
    const choice = await call.getData('silence/1', { timeout: 5_000, maxDigits: 1 });
    if (choice === '1') {
      const calls = await this.callsInProgress();
      // Also on the channel (and so in a VarSet event): what was said, for the dialplan and for tests.
      await call.setVariable('IVR_CALLS_IN_PROGRESS', String(calls));
      await call.sayNumber(calls);
    } else if (choice === '2') {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an Asterisk dialplan expression, not a template
      const linkedid = (await call.getFullVariable('${CHANNEL(linkedid)}')) ?? call.env.uniqueId;
      await this.callbacks.add(call.env.callerId, call.env.callerIdName, linkedid);
      await call.setVariable('IVR_CALLBACK', 'requested');
      await call.streamFile('auth-thankyou');
    }
    await call.hangup();
  }

  /** Calls, not channels: the channels of one call share a Linkedid. */
  private async callsInProgress(): Promise<number> {
    const list = await this.ami.sendList({ Action: 'CoreShowChannels' });
    return new Set(list.events.map((event) => String(event.Linkedid ?? event.Channel))).size;
  }
}
