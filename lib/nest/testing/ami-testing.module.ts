import type { DynamicModule } from '@nestjs/common';
import { AmiModule } from '../ami.module.js';
import type { AmiModuleExtras, AmiModuleOptions } from '../interfaces/ami-module-options.interface.js';

export type AmiTestingModuleOptions = Partial<AmiModuleOptions> & AmiModuleExtras;

/**
 * An AmiModule that never connects: the real AmiService, dispatcher and handler discovery, with no PBX.
 * Emit events into it with `AmiTesting.get(app).emit(...)`.
 */
export class AmiTestingModule {
  static forRoot(options: AmiTestingModuleOptions = {}): DynamicModule {
    return AmiModule.forRoot({
      host: '127.0.0.1',
      username: 'testing',
      secret: 'testing',
      reconnect: false,
      keepAlive: false,
      ...options,
      connectionInit: { connect: false },
    });
  }
}
