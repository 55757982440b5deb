// AGI, framework-free: typed commands on an AgiCall, a FastAGI server and AsyncAGI over an AmiClient.

export type { AgiCommandOptions, AgiPlaybackResult } from './agi-call.js';
export { AgiCall } from './agi-call.js';
export type { AgiArgument } from './agi-command.js';
export { formatAgiCommand, quoteAgiArgument } from './agi-command.js';
export type { AgiEnvironment } from './agi-environment.js';
export * from './agi-errors.js';
export type { AgiReply } from './agi-reply.js';
export { parseAgiReply } from './agi-reply.js';
export type { AgiHandler } from './agi-router.js';
export { AmiAgiRouter } from './agi-router.js';
export type { AgiTransport } from './agi-transport.js';
export type { AmiAsyncAgiOptions, AsyncAgiConnection } from './async-agi.js';
export { AmiAsyncAgi } from './async-agi.js';
export type { FastAgiLimits } from './fast-agi-reader.js';
export { DEFAULT_FAST_AGI_LIMITS } from './fast-agi-reader.js';
export type { AmiFastAgiServerOptions } from './fast-agi-server.js';
export { AmiFastAgiServer } from './fast-agi-server.js';
