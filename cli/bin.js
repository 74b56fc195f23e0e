#!/usr/bin/env node
// `npx mkt ...`: the CLI is TypeScript run through tsx, like the server (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
