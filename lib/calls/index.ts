export * from './call-errors.js';
export { AmiCallTracker } from './call-tracker.js';
export type * from './call-tracker.types.js';
