export * from './rules/index.js';
export * from './schedule/index.js';
export * from './api/index.js';
export * from './identity/index.js';
export * from './screener/index.js';
