// `npm run db:migration -- NAME [--squash]`: writes prisma/migrations/<timestamp>_NAME/migration.sql
// from the difference between the existing migrations and schema.prisma (offline, wasm engine).
// --squash replaces all migrations by one generated from an empty database (only before release).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../migrations.js';
import { createMigration, MIGRATION_LOCK } from '../schema-engine.js';

const args = process.argv.slice(2);
const squash = args.includes('--squash');
const name = args.find((a) => !a.startsWith('--'));
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write(
    'usage: npm run db:migration -- NAME [--squash]   (NAME: lowercase letters, digits, _)\n',
  );
  process.exit(1);
}
if (squash) rmSync(MIGRATIONS_DIR, { recursive: true, force: true });
mkdirSync(MIGRATIONS_DIR, { recursive: true });
const migration = await createMigration(name);
if (!migration) {
  process.stdout.write('schema.prisma and the migrations agree: nothing to create\n');
} else {
  mkdirSync(join(MIGRATIONS_DIR, migration.name), { recursive: true });
  writeFileSync(join(MIGRATIONS_DIR, migration.name, 'migration.sql'), migration.sql);
  writeFileSync(join(MIGRATIONS_DIR, 'migration_lock.toml'), MIGRATION_LOCK);
  process.stdout.write(`created prisma/migrations/${migration.name}/migration.sql\n`);
}
process.exit(0);
