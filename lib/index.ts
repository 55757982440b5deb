export * from './client/index.js';
export * from './nest/index.js';
