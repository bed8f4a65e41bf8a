/** The types every stage shares, gathered in one import. */
export * from './evidence.js';
export * from './document.js';
export * from './ioc.js';
export * from './facts.js';
export * from './score.js';
export * from './item.js';
export * from './source.js';
