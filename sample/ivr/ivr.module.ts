import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AmiAgiModule } from 'nestjs-ami';
import { AMI_TARGET, type AmiTarget } from '../ami/ami-target.js';
import { AmiTargetModule } from '../ami/ami-target.module.js';
import { CallbackRequests } from './callback-requests.service.js';
import { IvrController } from './ivr.controller.js';
import { MainMenu } from './main-menu.agi.js';

/**
 * The IVR: AsyncAGI on the AMI connection, and a FastAGI server when AGI_PORT is set (4573 is FastAGI's
 * usual port). The embedded simulator has no AGI: the IVR only answers calls on a real Asterisk.
 */
@Module({
  imports: [
    AmiTargetModule,
    // FastAGI only when AGI_PORT is set: several sample processes (tests, replicas) on one host would
    // otherwise fight over port 4573. AsyncAGI needs no port.
    AmiAgiModule.forRoot({
      fastAgi: process.env.AGI_PORT === undefined ? false : { port: Number(process.env.AGI_PORT) },
    }),
  ],
  providers: [MainMenu, CallbackRequests],
  controllers: [IvrController],
})
export class IvrModule implements OnApplicationBootstrap {
  constructor(@Inject(AMI_TARGET) private readonly target: AmiTarget) {}

  onApplicationBootstrap(): void {
    if (this.target.simulated)
      new Logger('Ivr').warn(
        'The embedded AMI simulator has no AGI: no call reaches the IVR. Set AMI_HOST to a real Asterisk.',
      );
  }
}
