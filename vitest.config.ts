import { defineConfig } from 'vitest/config';
import { HeavyFirstSequencer } from './test/support/heavy-first-sequencer.js';

// One runner for everything: unit tests, integration tests against the real PostgreSQL and Redis
// of the machine, and browser end-to-end tests in headless Chromium.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    // generous: CI runs files in parallel on a loaded machine; a passing test is not slowed by them
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default'],
    // names the run's seeded template database for server tests (test/support/seeded-template.ts)
    globalSetup: ['test/support/global-setup.ts'],
    // files that start servers first, so that none of them is left running alone at the end
    sequence: { sequencer: HeavyFirstSequencer },
  },
});
