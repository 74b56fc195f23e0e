// The surveys' seeded random numbers come from the shared generator (random/), re-exported here so
// the surveys' public entry keeps offering them.
export { gaussian, mulberry32 } from '../random/index.js';
