// A separate process that saves one recsys artifact folder again and again (the cross-process
// writer test): `node --import tsx test/support/artifact-writer.ts <dir> <label> <count>`.
import { writeArtifact } from '../../recsys/artifact.js';

const [dir, label, count] = process.argv.slice(2) as [string, string, string];
for (let i = 0; i < Number(count); i++) {
  const data = Buffer.alloc(64 * 1024, `${label}-${i}`);
  await writeArtifact(
    dir,
    {
      kind: 'test',
      formatVersion: 1,
      encoder: null,
      dataHash: `${label}-${i}`,
      metrics: {},
      params: {},
    },
    { 'index.bin': data, 'ids.json': JSON.stringify({ label, i }) },
  );
}
process.stdout.write('done\n');
