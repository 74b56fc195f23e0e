// The scripted-conversation format (bench/conversations/*.yml): one file per group, each case a
// few turns with machine-checkable expectations. `split: validation` marks the held-out cases
// (25 %) that are never looked at while tuning the dialog; the benchmark reports both splits.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Folder of the case files. */
export const CASES_DIR = resolve(import.meta.dirname, '../../bench/conversations');

/** What the products shown in a reply must satisfy. */
export const ZProductsExpect = z
  .object({
    min: z.number().int().min(0).default(1),
    max: z.number().int().min(0).optional(),
    /** Every card's SKU starts with one of these (the demo catalog's type codes: JKT, BOT...). */
    types: z.array(z.string()).optional(),
    /** The first card's SKU starts with one of these. */
    firstTypes: z.array(z.string()).optional(),
    /** Every card's name contains one of these (case-insensitive), e.g. a colour or a size. */
    nameAny: z.array(z.string()).optional(),
    /** The first card's name contains one of these. */
    firstAny: z.array(z.string()).optional(),
    maxPrice: z.number().optional(),
    minPrice: z.number().optional(),
  })
  .strict();

/** Expectations of one turn (all given must hold). */
export const ZTurnExpect = z
  .object({
    /** What the bot did (channelData.tag of any reply), e.g. "search", "reply:off_topic". Prefix match with a trailing "*". */
    tag: z.union([z.string(), z.array(z.string())]).optional(),
    /** The bot did not do this. */
    notTag: z.union([z.string(), z.array(z.string())]).optional(),
    /** Some reply's text matches this regular expression (case-insensitive). */
    text: z.string().optional(),
    /** No reply's text matches this. */
    notText: z.string().optional(),
    products: ZProductsExpect.optional(),
    /** No product cards at all. */
    noProducts: z.boolean().optional(),
    /** Buttons with these titles are offered. */
    buttons: z.array(z.string()).optional(),
    /** The bot stays quiet (handoff). */
    silent: z.boolean().optional(),
  })
  .strict();

/** One turn: the customer types, clicks a quick reply, or clicks a button on a card. */
export const ZTurn = z
  .object({
    say: z.string().optional(),
    /** Title of a suggested action of the last bot replies. */
    click: z.string().optional(),
    /** A card button of the last product reply: [card index, button title]. */
    card: z.tuple([z.number().int().min(0), z.string()]).optional(),
    expect: ZTurnExpect.optional(),
  })
  .strict()
  .refine(
    (t) => [t.say, t.click, t.card].filter((x) => x !== undefined).length === 1,
    'one of say, click, card',
  );

/** One scripted conversation. */
export const ZCase = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    split: z.enum(['tune', 'validation']),
    /** Also run in `npm test` (the fast subset). */
    fast: z.boolean().default(false),
    turns: z.array(ZTurn).min(1),
    /** After the last turn: marketing consent never changed, or is now on/off. */
    consent: z.enum(['unchanged', 'in', 'out']).default('unchanged'),
    /** After the last turn: a handoff is open (true) or not (false). */
    handoff: z.boolean().default(false),
    /** After the last turn: a survey session of this instrument exists. */
    survey: z.string().optional(),
    /** The customer's data is gone (deletion confirmed). */
    forgotten: z.boolean().default(false),
  })
  .strict();

/** A case file: one group. */
export const ZCaseFile = z
  .object({ group: z.string().regex(/^[a-z0-9-]+$/), cases: z.array(ZCase).min(1) })
  .strict();

export type ConversationCase = z.infer<typeof ZCase> & { group: string };
export type TurnExpect = z.infer<typeof ZTurnExpect>;

/** Loads every case file; ids are unique across files. */
export function loadCases(dir = CASES_DIR): ConversationCase[] {
  const out: ConversationCase[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()) {
    const parsed = ZCaseFile.safeParse(parseYaml(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    for (const c of parsed.data.cases) {
      if (seen.has(c.id)) throw new Error(`${file}: duplicate case id ${c.id}`);
      seen.add(c.id);
      out.push({ ...c, group: parsed.data.group });
    }
  }
  return out;
}
