export * from './call-errors.js';
export { AmiCallTracker, DEFAULT_ORIGINATE_GRACE_MS } from './call-tracker.js';
export type * from './call-tracker.types.js';
