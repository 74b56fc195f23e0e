// Product and category names matched fuzzily against the catalog (typos, plurals, partial names),
// on a MiniSearch index that is updated in place when the catalog changes.
import MiniSearch from 'minisearch';

/** One catalog name to recognise. */
export interface GazetteerEntry {
  readonly id: string;
  readonly name: string;
  readonly kind: 'product' | 'category' | 'brand';
  /** Other names for the same thing ("tee" for "t-shirt"). */
  readonly aliases?: readonly string[];
}

/** A catalog name found in a message. */
export interface GazetteerMatch {
  readonly id: string;
  readonly name: string;
  readonly kind: GazetteerEntry['kind'];
  /** Share of the name's words found in the message (1 = all), after fuzzy matching. */
  readonly coverage: number;
  /** MiniSearch relevance, for ranking matches of equal coverage. */
  readonly score: number;
}

/** Options of the matcher. */
export interface GazetteerOptions {
  /** Minimum share of a name's words that must appear (default 0.6; single-word names need their word). */
  minCoverage?: number;
  /** Maximum matches returned (default 5). */
  limit?: number;
}

// Words that say nothing about which product is meant.
const STOP = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'of',
  'for',
  'with',
  'in',
  'on',
  'to',
  'me',
  'my',
  'show',
  'some',
  'any',
  'i',
  'want',
  'need',
  'do',
  'you',
  'have',
]);

/** Lower-cases, drops stop words and folds simple plurals, so "Running Shoes" matches "running shoe". */
function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (STOP.has(t) || t.length === 0) return null;
  if (t.length > 4 && t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  if (t.length > 3 && t.endsWith('s') && !t.endsWith('ss')) return t.slice(0, -1);
  return t;
}

interface Doc {
  id: string;
  entryId: string;
  text: string;
  name: string;
  kind: GazetteerEntry['kind'];
  words: number;
}

/** A fuzzy dictionary of catalog names; `upsert`/`remove`/`replaceAll` keep it in step with the catalog. */
export class Gazetteer {
  private readonly index = new MiniSearch<Doc>({
    fields: ['text'],
    storeFields: ['entryId', 'name', 'kind', 'words'],
    processTerm,
    tokenize: (text) => text.split(/[^\p{L}\p{N}]+/u),
  });
  private readonly docsByEntry = new Map<string, string[]>();

  constructor(entries: Iterable<GazetteerEntry> = []) {
    this.upsert(entries);
  }

  /** Number of entries. */
  get size(): number {
    return this.docsByEntry.size;
  }

  /** Adds entries, or replaces those whose id is already present. */
  upsert(entries: Iterable<GazetteerEntry>): void {
    for (const entry of entries) {
      this.remove([entry.id]);
      const names = [entry.name, ...(entry.aliases ?? [])].filter((n) => n.trim().length > 0);
      const docs = names.map((text, i) => ({
        id: `${entry.id}\u0000${i}`,
        entryId: entry.id,
        text,
        name: entry.name,
        kind: entry.kind,
        words: new Set(
          text
            .split(/[^\p{L}\p{N}]+/u)
            .map(processTerm)
            .filter(Boolean),
        ).size,
      }));
      this.index.addAll(docs.filter((d) => d.words > 0));
      this.docsByEntry.set(
        entry.id,
        docs.filter((d) => d.words > 0).map((d) => d.id),
      );
    }
  }

  /** Removes entries by id (unknown ids are ignored). */
  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      for (const docId of this.docsByEntry.get(id) ?? []) this.index.discard(docId);
      this.docsByEntry.delete(id);
    }
  }

  /** Replaces the whole dictionary (e.g. after a catalog import). */
  replaceAll(entries: Iterable<GazetteerEntry>): void {
    this.remove([...this.docsByEntry.keys()]);
    this.upsert(entries);
  }

  /** Catalog names mentioned in `text`, best first; one match per entry. */
  match(text: string, options: GazetteerOptions = {}): GazetteerMatch[] {
    const query = typeof text === 'string' ? text.slice(0, 1_000) : '';
    if (!query.trim() || this.size === 0) return [];
    const minCoverage = options.minCoverage ?? 0.6;
    // Fuzziness grows with word length: no typo allowed in short words ("red" ≠ "bed").
    const results = this.index.search(query, {
      fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 5 ? 1 : 0),
      prefix: (term) => term.length >= 4,
      combineWith: 'OR',
    });
    const best = new Map<string, GazetteerMatch>();
    for (const r of results) {
      const words = r.words as number;
      const coverage = Math.min(1, new Set(r.terms).size / words);
      if (coverage < (words === 1 ? 1 : minCoverage)) continue;
      const match: GazetteerMatch = {
        id: r.entryId as string,
        name: r.name as string,
        kind: r.kind as GazetteerEntry['kind'],
        coverage,
        score: r.score,
      };
      const previous = best.get(match.id);
      if (
        !previous ||
        match.coverage > previous.coverage ||
        (match.coverage === previous.coverage && match.score > previous.score)
      ) {
        best.set(match.id, match);
      }
    }
    return [...best.values()]
      .sort((a, b) => b.coverage - a.coverage || b.score - a.score)
      .slice(0, options.limit ?? 5);
  }
}
