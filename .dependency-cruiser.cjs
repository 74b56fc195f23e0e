// Import boundaries of the code base, checked by `npm run lint` (dependency-cruiser).
// Dependencies point one way: channels -> dialog -> cores; prisma/ implements the cores' ports;
// server/ is the one composition root. See README "Architecture".
const CORES = '^(nlu|recsys|surveys|kb)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-outer-layer',
      comment:
        'A core (nlu/, recsys/, surveys/, kb/) is used by the dialog, the data layer and the server; ' +
        'it must not know them. Define a port in the core and implement it in prisma/ or server/.',
      severity: 'error',
      from: { path: CORES },
      to: { path: '^(bots|server|prisma|jobs|cli)/' },
    },
    {
      name: 'core-imports-prisma-client',
      comment: 'Only prisma/ talks to the database client; cores keep port interfaces and in-memory stores.',
      severity: 'error',
      from: { path: CORES },
      to: { path: '(^|/)node_modules/(@prisma|@electric-sql|pg)/' },
    },
    {
      name: 'dialog-imports-channel',
      comment: 'bots/dialog/ decides and executes turns for every channel; a channel adapts to it, not the other way.',
      severity: 'error',
      from: { path: '^bots/dialog/' },
      to: { path: '^bots/channels/' },
    },
    {
      name: 'channel-imports-data-layer',
      comment: 'Channels turn payloads into one inbound message and render replies; storage reaches them through ports.',
      severity: 'error',
      from: { path: '^bots/channels/' },
      to: { path: '^prisma/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make start-up order and the layering ambiguous.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^prisma/generated/'] },
    exclude: { path: '^(node_modules|web/vendor|data|dist|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
