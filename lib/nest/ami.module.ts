import { Module } from '@nestjs/common';
import { AmiConfigurableModuleClass } from './ami.module-definition.js';
import { AmiCoreModule } from './ami-core.module.js';

/**
 * One AMI connection per import: `AmiModule.forRoot(options)` or `AmiModule.forRootAsync({ imports,
 * inject, useFactory | useClass | useExisting })`, each with `isGlobal` and `name` (several connections).
 * Provides and exports the connection's AmiService and the AmiHealthIndicator.
 */
@Module({ imports: [AmiCoreModule] })
export class AmiModule extends AmiConfigurableModuleClass {}
