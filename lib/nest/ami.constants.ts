/** The name of the connection registered without `name`; injected as plain `AmiService`. */
export const DEFAULT_AMI_CONNECTION = 'default';

/** Metadata keys of the method decorators (arrays: the decorators stack). */
export const AMI_EVENT_HANDLER_METADATA = 'nestjs-ami:event-handler';
export const AMI_LIFECYCLE_HANDLER_METADATA = 'nestjs-ami:lifecycle-handler';

/** Where each AmiModule instance provides its options (private to the instance). */
export const AMI_MODULE_OPTIONS = Symbol('AMI_MODULE_OPTIONS');

// Tokens private to each AmiModule instance: never exported, so every connection has its own.
export const AMI_CONNECTION_NAME = Symbol('AMI_CONNECTION_NAME');
export const AMI_CLIENT = Symbol('AMI_CLIENT');
export const AMI_DISPATCHER = Symbol('AMI_DISPATCHER');
export const AMI_LOGGER = Symbol('AMI_LOGGER');
/** The client's share of the module options, checked, with the module's logger. */
export const AMI_CLIENT_OPTIONS = Symbol('AMI_CLIENT_OPTIONS');
/** The connection's cluster view (an AmiClusterNodeView), or null without cluster mode. */
export const AMI_CLUSTER_VIEW = Symbol('AMI_CLUSTER_VIEW');
