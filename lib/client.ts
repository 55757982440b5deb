// The framework-free client: `import { AmiClient } from 'nestjs-ami/client'` needs no Nest package.
export * from './actions/index.js';
// AGI (FastAGI server, AsyncAGI over a client, typed commands): framework-free.
export * from './agi/index.js';
// Call tracking: originate() with progress, track() any call, a summary at its end.
export * from './calls/index.js';
export * from './client/ami-client.js';
export type * from './client/ami-client.types.js';
export { DEFAULT_KEEP_ALIVE } from './client/ami-client-options.js';
export { silentLogger } from './client/ami-logger.js';
export { DEFAULT_RECONNECT, reconnectDelay } from './client/backoff.js';
export type { AmiEventFilterOptions } from './client/filters/event-filter.types.js';
export { AmiInvalidEventFilterError } from './client/filters/filter-errors.js';
// Cluster mode's framework-free part: ioredis (an optional peer) is loaded only when a node starts.
export type * from './cluster/cluster.types.js';
export { AmiRedisError } from './cluster/cluster-errors.js';
export { AmiClusterNode } from './cluster/cluster-node.js';
export * from './errors/ami-errors.js';
export * from './live/ami-live-state.js';
export type * from './live/live.types.js';
export * from './live/live-source.js';
export type { AmiAction, AmiActionHeaderValue } from './protocol/action-serializer.js';
export { serializeAction } from './protocol/action-serializer.js';
export * from './protocol/ami-message.js';
export type { AmiEncoding, FrameParserLimits, FrameParserSink } from './protocol/frame-parser.js';
export { AmiFrameParser, DEFAULT_FRAME_LIMITS } from './protocol/frame-parser.js';
export * from './types/index.js';
