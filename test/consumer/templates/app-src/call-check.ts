import { Injectable } from '@nestjs/common';
import { AmiService } from 'nestjs-ami';
import { HangupWatcher } from './hangup-watcher.js';

/** Injected by type (emitDecoratorMetadata): places a real call, waits for its Hangup, sends a Ping. */
@Injectable()
export class CallCheck {
  constructor(
    private readonly ami: AmiService,
    private readonly hangups: HangupWatcher,
  ) {}

  async run(log: (line: string) => void): Promise<void> {
    // Local/100@test answers, waits 1 s and hangs up with cause 16 (the project's test dialplan).
    const call = await this.ami.originate({
      Channel: 'Local/100@test',
      Context: 'test',
      Exten: 'answer',
      Priority: 1,
    });
    const uniqueid: string = String(call.Uniqueid);
    const hangup = await this.hangups.next((event) => event.Uniqueid === uniqueid, 20_000);
    log(`Hangup ${hangup.Channel} cause ${hangup.Cause} ${hangup['Cause-txt']}`);

    const pong = await this.ami.send({ Action: 'Ping' });
    log(`Ping ${pong.Response} ${String(pong.Ping)}`);
  }

  get connected(): boolean {
    return this.ami.isConnected;
  }
}
