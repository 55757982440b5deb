import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { asteriskFromEnvironment, simulatorCallSeconds } from '../config/sample-config.js';
import { AMI_TARGET, type AmiTarget } from './ami-target.js';
import { EmbeddedAmiSimulator } from './embedded-simulator.js';

async function resolveTarget(config: ConfigService, simulator: EmbeddedAmiSimulator): Promise<AmiTarget> {
  const logger = new Logger('AmiTarget');
  const asterisk = asteriskFromEnvironment(config);
  if (asterisk !== null) {
    logger.log(`Using the Asterisk at ${asterisk.host}:${asterisk.port} (user ${asterisk.username})`);
    return { ...asterisk, simulated: false };
  }
  const target = await simulator.start(simulatorCallSeconds(config));
  logger.log(`No AMI_HOST set: using the embedded AMI simulator on ${target.host}:${target.port}`);
  logger.log('Set AMI_HOST, AMI_PORT, AMI_USERNAME and AMI_SECRET to use your Asterisk instead');
  return target;
}

/** Decides where the AMI connection goes, starting the embedded simulator when no Asterisk is configured. */
@Module({
  providers: [
    EmbeddedAmiSimulator,
    { provide: AMI_TARGET, useFactory: resolveTarget, inject: [ConfigService, EmbeddedAmiSimulator] },
  ],
  exports: [AMI_TARGET],
})
export class AmiTargetModule {}
