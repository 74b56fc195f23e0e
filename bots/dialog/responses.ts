// Loads responses.yml: the bot's wording as data. Validated at start, so a typo in the file stops
// the server with the field named instead of showing customers a blank reply.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Suggestion } from './types.js';

const ZButton = z
  .object({
    title: z.string().min(1).max(80),
    text: z.string().min(1).max(500).optional(),
    intent: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    confirm: z.boolean().optional(),
  })
  .strict();

/** Shape of responses.yml. */
export const ZResponsesFile = z
  .object({
    version: z.union([z.string(), z.number()]).optional(),
    button_sets: z.record(z.string(), z.array(ZButton).min(1)).default({}),
    /** How an intent is named on a "did you mean" button. */
    labels: z.record(z.string(), z.string().min(1).max(40)).default({}),
    responses: z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, 'response names are snake_case'),
      z
        .object({
          text: z.string().min(1),
          buttons: z.union([z.string(), z.array(ZButton)]).optional(),
        })
        .strict(),
    ),
  })
  .superRefine((file, ctx) => {
    for (const [name, r] of Object.entries(file.responses)) {
      if (typeof r.buttons === 'string' && !(r.buttons in file.button_sets))
        ctx.addIssue({
          code: 'custom',
          path: ['responses', name, 'buttons'],
          message: `no button set "${r.buttons}"`,
        });
    }
  });

/** Path of the shipped responses file. */
export const RESPONSES_FILE = join(dirname(fileURLToPath(import.meta.url)), 'responses.yml');

/** A rendered canned reply. */
export interface Rendered {
  text: string;
  suggestions?: Suggestion[];
}

/** The bot's wording, looked up by response name. */
export class Responses {
  private constructor(
    private readonly file: z.infer<typeof ZResponsesFile>,
    private readonly brand: string,
  ) {}

  /** Parses a responses document (YAML text). */
  static parse(source: string, brand: string): Responses {
    return new Responses(ZResponsesFile.parse(parseYaml(source)), brand);
  }

  /** Loads the shipped file (or another path). */
  static load(brand: string, path = RESPONSES_FILE): Responses {
    return Responses.parse(readFileSync(path, 'utf8'), brand);
  }

  /** Names of all responses; an intent with the same name is answered with it. */
  names(): ReadonlySet<string> {
    return new Set(Object.keys(this.file.responses));
  }

  /** True when a response of that name exists. */
  has(name: string): boolean {
    return Object.hasOwn(this.file.responses, name);
  }

  /**
   * Renders a response; `{key}` placeholders take `vars` (and {brand}). An unknown name is a bug
   * in the dialog, so it throws rather than sending an empty message.
   */
  render(name: string, vars: Record<string, string | number> = {}): Rendered {
    const r = this.file.responses[name];
    if (!r) throw new Error(`responses.yml has no response "${name}"`);
    const fill = (s: string) =>
      s.replace(/\{([a-z]+)\}/g, (m, key: string) =>
        key === 'brand' ? this.brand : key in vars ? String(vars[key]) : m,
      );
    const buttons = typeof r.buttons === 'string' ? this.file.button_sets[r.buttons]! : (r.buttons ?? []);
    const suggestions = buttons.map((b): Suggestion => {
      const text = fill(b.text ?? b.title);
      if (b.confirm !== undefined) return { title: b.title, text, action: { a: 'confirm', yes: b.confirm } };
      if (b.intent) return { title: b.title, text, action: { a: 'intent', intent: b.intent, text } };
      return { title: b.title, text };
    });
    return { text: fill(r.text), suggestions: suggestions.length > 0 ? suggestions : undefined };
  }

  /** The button label of an intent ("Find a product"); the intent's words when it has none. */
  label(intent: string): string {
    return this.file.labels[intent] ?? intent.replace(/_/g, ' ');
  }

  /** Text only. */
  text(name: string, vars: Record<string, string | number> = {}): string {
    return this.render(name, vars).text;
  }
}
