export * from './agi/index.js';
export { DEFAULT_AMI_CONNECTION } from './ami.constants.js';
export { AmiModule } from './ami.module.js';
export { AMI_ASYNC_OPTIONS_TYPE, AMI_OPTIONS_TYPE } from './ami.module-definition.js';
export { AmiService } from './ami.service.js';
export { getAmiServiceToken } from './ami.tokens.js';
export { DEFAULT_INIT_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT } from './ami-connection.lifecycle.js';
export { amiEventEmitterName } from './bridges/event-emitter.bridge.js';
export { getAmiCallsToken } from './calls/ami-calls.token.js';
export type { AmiClusterView } from './cluster/ami-cluster-view.js';
export { InjectAmi, InjectAmiLive } from './decorators/inject-ami.decorator.js';
export { InjectAmiCalls } from './decorators/inject-ami-calls.decorator.js';
export { OnAmiEvent } from './decorators/on-ami-event.decorator.js';
export {
  OnAmiConnected,
  OnAmiDisconnected,
  OnAmiEventGap,
  OnAmiLeadershipGained,
  OnAmiLeadershipLost,
  OnAmiLifecycle,
  OnAmiLoginFailed,
  OnAmiReconnecting,
} from './decorators/on-ami-lifecycle.decorator.js';
export { OnAmiUserEvent } from './decorators/on-ami-user-event.decorator.js';
export type { AmiHealthCheckOptions, AmiHealthIndicatorResult } from './health/ami.health-indicator.js';
export { AmiHealthIndicator } from './health/ami.health-indicator.js';
export type { AmiModuleEventFilter } from './interfaces/ami-event-filter.interface.js';
export type { AmiEventMeta, AmiEventRequest } from './interfaces/ami-event-meta.interface.js';
export type {
  AmiHandlerErrorContext,
  AmiHandlerErrorHook,
} from './interfaces/ami-handler-error.interface.js';
export type {
  AmiEventHandlerMetadata,
  AmiLifecycleHandlerMetadata,
  OnAmiEventOptions,
  OnAmiLifecycleOptions,
} from './interfaces/ami-handler-options.interface.js';
export type {
  AmiConnectedEvent,
  AmiDisconnectedEvent,
  AmiEventGapEvent,
  AmiLeadershipGainedEvent,
  AmiLeadershipLostEvent,
  AmiLifecycleEvent,
  AmiLifecycleKind,
  AmiLifecycleRequest,
  AmiLoginFailedEvent,
  AmiReconnectingEvent,
} from './interfaces/ami-lifecycle.interface.js';
export type {
  AmiConnectionInitOptions,
  AmiEventEmitterBridgeOptions,
  AmiModuleExtras,
  AmiModuleOptions,
} from './interfaces/ami-module-options.interface.js';
export { getAmiLiveToken } from './live/ami-live.token.js';
export type { AmiEmitOptions, AmiEmitResult, AmiFakeEvent } from './testing/ami-testing.js';
export { AmiTesting } from './testing/ami-testing.js';
export type { AmiTestingModuleOptions } from './testing/ami-testing.module.js';
export { AmiTestingModule } from './testing/ami-testing.module.js';
