// Set-up of a whole `vitest run` (vitest.config.ts globalSetup): names the run's seeded template
// database for the server tests (seeded-template.ts; built by the first test that needs it, in its
// process) and drops it when the run ends. Test processes are forked after this runs and inherit
// the variable.
import { dropSeededTemplate, newTemplateName, TEMPLATE_ENV } from './seeded-template.js';

export default function setup(): () => Promise<void> {
  const name = (process.env[TEMPLATE_ENV] = newTemplateName());
  return () => dropSeededTemplate(name);
}
