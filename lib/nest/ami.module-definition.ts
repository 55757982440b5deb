import { ConfigurableModuleBuilder } from '@nestjs/common';
import { AMI_MODULE_OPTIONS } from './ami.constants.js';
import { amiConnectionProviders } from './ami.providers.js';
import type { AmiModuleExtras, AmiModuleOptions } from './interfaces/ami-module-options.interface.js';

export const {
  ConfigurableModuleClass: AmiConfigurableModuleClass,
  OPTIONS_TYPE: AMI_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AMI_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AmiModuleOptions>({
  moduleName: 'Ami',
  optionsInjectionToken: AMI_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createAmiOptions')
  .setExtras<AmiModuleExtras>({ isGlobal: false, name: undefined }, (definition, extras) => {
    const { providers, exports } = amiConnectionProviders(extras.name);
    return {
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...providers],
      exports: [...(definition.exports ?? []), ...exports],
    };
  })
  .build();
