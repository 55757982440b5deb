import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AMI_AGI_OPTIONS, AmiAgiService } from './ami-agi.service.js';
import type { AmiAgiModuleOptions } from './ami-agi-options.interface.js';

/**
 * AGI for a Nest app: `@OnAgi('script')` methods served over AsyncAGI (the AmiModule connection) and a
 * FastAGI server. Import it next to `AmiModule.forRoot(...)`.
 */
@Module({})
export class AmiAgiModule {
  static forRoot(options: AmiAgiModuleOptions = {}): DynamicModule {
    return {
      module: AmiAgiModule,
      imports: [DiscoveryModule],
      providers: [{ provide: AMI_AGI_OPTIONS, useValue: options }, AmiAgiService],
      exports: [AmiAgiService],
    };
  }
}
