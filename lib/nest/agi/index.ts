export { AmiAgiModule } from './ami-agi.module.js';
export { AmiAgiService } from './ami-agi.service.js';
export type { AmiAgiModuleOptions } from './ami-agi-options.interface.js';
export { OnAgi } from './on-agi.decorator.js';
