import { Module } from '@nestjs/common';
import type { AmiModuleOptions } from 'nestjs-ami';

export const AMI_SETTINGS = 'AMI_SETTINGS';

function fromEnvironment(): AmiModuleOptions {
  const { AMI_HOST, AMI_PORT, AMI_USERNAME, AMI_SECRET } = process.env;
  if (!AMI_HOST || !AMI_USERNAME || !AMI_SECRET) {
    throw new Error('AMI_HOST, AMI_USERNAME and AMI_SECRET must be set');
  }
  return {
    host: AMI_HOST,
    port: Number(AMI_PORT ?? 5038),
    username: AMI_USERNAME,
    secret: AMI_SECRET,
    connectionInit: { timeout: 15_000 },
  };
}

/** Where the settings come from in a real app (here the environment), for forRootAsync's inject. */
@Module({
  providers: [{ provide: AMI_SETTINGS, useFactory: fromEnvironment }],
  exports: [AMI_SETTINGS],
})
export class AmiSettingsModule {}
