// The framework-free client: `import { AmiClient } from 'nestjs-ami/client'` needs no Nest package.
export * from '../actions/index.js';
export * from '../errors/ami-errors.js';
export type { AmiAction, AmiActionHeaderValue } from '../protocol/action-serializer.js';
export { serializeAction } from '../protocol/action-serializer.js';
export * from '../protocol/ami-message.js';
export type { AmiEncoding, FrameParserLimits, FrameParserSink } from '../protocol/frame-parser.js';
export { AmiFrameParser, DEFAULT_FRAME_LIMITS } from '../protocol/frame-parser.js';
export * from '../types/index.js';
export * from './ami-client.js';
export type * from './ami-client.types.js';
export type { AmiClientOptions, AmiKeepAliveOptions } from './ami-client-options.js';
export { DEFAULT_KEEP_ALIVE } from './ami-client-options.js';
export type { AmiLogger } from './ami-logger.js';
export { silentLogger } from './ami-logger.js';
export { DEFAULT_RECONNECT, reconnectDelay } from './backoff.js';
