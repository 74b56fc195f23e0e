// File helpers shared by the artifact readers (intent and sentiment models): every failure becomes
// an NLU error naming the file and how to rebuild it.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { NluModelCorruptError, NluModelMissingError } from './errors.js';

/** Reads a file; a missing file gives NluModelMissingError, any other failure NluModelCorruptError. */
export async function readArtifactFile(file: string, howToFix: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NluModelMissingError(file, howToFix, { cause: error });
    throw new NluModelCorruptError(file, (error as Error).message, howToFix, { cause: error });
  }
}

/**
 * Reads and validates a manifest.json. `precheck` sees the parsed JSON first (e.g. to name a
 * format-version mismatch instead of the first schema issue).
 */
export async function readManifestFile<S extends z.ZodType>(
  file: string,
  schema: S,
  howToFix: string,
  precheck?: (json: unknown) => void,
): Promise<z.infer<S>> {
  const raw = await readArtifactFile(file, howToFix);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new NluModelCorruptError(file, 'not valid JSON', howToFix, { cause: error });
  }
  precheck?.(json);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NluModelCorruptError(
      file,
      `${issue?.path.join('.') || 'manifest'}: ${issue?.message}`,
      howToFix,
    );
  }
  return parsed.data;
}
