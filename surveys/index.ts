// Public entry of the surveys capability: other folders import only from here.
export * from './errors.js';
export * from './instrument.js';
export * from './load-instrument.js';
export * from './answer-parser.js';
export * from './catalog.js';
export * from './flow.js';
export * from './item-answer.js';
export * from './store.js';
export * from './runner.js';
export * from './prisma-store.js';
export * from './seed.js';
export * from './psychometrics.js';
export * from './scoring.js';
export * from './random.js';
export * from './simulate.js';
export * from './kmeans.js';
export * from './segments.js';
