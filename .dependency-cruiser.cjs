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
      name: 'generated-client-outside-data-layer',
      comment:
        'The generated Prisma client is reached through prisma/index.ts; only prisma/ imports it directly.',
      severity: 'error',
      from: { pathNot: '^prisma/' },
      to: { path: '^prisma/generated/' },
    },
    {
      name: 'dialog-imports-channel',
      comment:
        'bots/dialog/ decides and executes turns for every channel; a channel adapts to it, not the other way.',
      severity: 'error',
      from: { path: '^bots/dialog/' },
      to: { path: '^bots/channels/' },
    },
    {
      name: 'core-index-exports-data-layer',
      comment:
        'prisma/ implements the ports of the cores; a core never re-exports it (nor anything else outside it).',
      severity: 'error',
      from: { path: '^(nlu|recsys|surveys|kb|bots)/index\\.ts$' },
      to: { path: '^prisma/' },
    },
    {
      name: 'bots-imports-data-layer',
      comment:
        'Channels turn payloads into one inbound message and render replies, the dialog decides; ' +
        'storage reaches both through the ports in bots/ports.ts, wired by server/.',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: '^prisma/' },
    },
    {
      name: 'cli-deep-imports-server',
      comment:
        'server/ is the one composition root and server/index.ts its one public entry: the CLI opens ' +
        'the platform through it instead of assembling configuration, database and services itself.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^server/', pathNot: '^server/index\\.ts$' },
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
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
