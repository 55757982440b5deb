import { Module } from '@nestjs/common';
import { AmiModule, type AmiModuleOptions } from 'nestjs-ami';
import { AMI_SETTINGS, AmiSettingsModule } from './ami-settings.module.js';
import { CallCheck } from './call-check.js';
import { HangupWatcher } from './hangup-watcher.js';

@Module({
  imports: [
    AmiModule.forRootAsync({
      imports: [AmiSettingsModule],
      inject: [AMI_SETTINGS],
      useFactory: (settings: AmiModuleOptions) => settings,
    }),
  ],
  providers: [HangupWatcher, CallCheck],
})
export class AppModule {}
