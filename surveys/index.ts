// Public entry of the surveys capability: other folders import only from here.
export * from './errors.js';
export * from './instrument.js';
export * from './load-instrument.js';
export * from './answer-parser.js';
export * from './catalog.js';
