export {
  openDatabase,
  maskDatabaseUrl,
  type Database,
  type DatabaseTarget,
  type PoolLimits,
} from './database.js';
export { applyMigrations, readMigrations, MIGRATIONS_DIR, type MigrateResult } from './migrations.js';
export { DbError, isDatabaseUnavailable, type DbErrorCode } from './errors.js';
export type { SqlScriptRunner, SqlTx } from './sql-runner.js';
export { PrismaClient, Prisma } from './generated/client.js';
export type { Product, Role } from './generated/client.js';
