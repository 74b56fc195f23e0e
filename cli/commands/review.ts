// `mkt review list | label | answer | answer-with | ignore`: the review queue of the learning loop
// from a terminal (the same service as the admin API and Slack). Each change is written to the
// audit log.
import type { Command } from 'commander';
import { z } from 'zod';
import { ReviewError } from '../../bots/index.js';
import type { ReviewItemView } from '../../prisma/repositories/index.js';
import { reviewTools, withPlatform } from '../../server/index.js';
import { CliError, printResult } from '../output.js';

type ReviewService = Awaited<ReturnType<typeof reviewTools>>['review'];

const ZListOptions = z.object({
  status: z.enum(['open', 'labelled', 'answered', 'ignored']).default('open'),
  domain: z.enum(['customer', 'marketer']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  json: z.boolean().optional(),
});

// As the admin API takes it (routes-review.ts); the service says whether the entry exists.
const ZDocumentId = z.string().trim().min(1).max(500);

async function withReview<T>(
  work: (review: ReviewService, audit: (action: string, target: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const instead = 'stop the server first, or review through the admin API (/api/admin/v1/review)';
  return withPlatform({ role: 'mkt review', logLevel: 'warn', instead }, async (platform) => {
    const { review, audit } = await reviewTools(platform);
    try {
      return await work(review, (action, target) => audit.write({ actor: 'cli', action, target }));
    } catch (error) {
      if (error instanceof ReviewError) throw new CliError(error.message, { cause: error });
      throw error;
    }
  });
}

function line(item: ReviewItemView): string {
  const conf = item.confidence === null ? '' : ` ${item.confidence.toFixed(2)}`;
  const top = item.suggestions
    .slice(0, 3)
    .map((s) => `${s.intent} ${s.confidence.toFixed(2)}`)
    .join(', ');
  return [
    `${item.id}  [${item.domain} · ${item.reason}${item.intent ? ` · ${item.intent}${conf}` : ''}]${item.status === 'open' ? '' : ` ${item.status}${item.label ? `: ${item.label}` : ''}`}`,
    `  said: ${item.text}`,
    ...(item.previousText ? [`  before: ${item.previousText}`] : []),
    `  answered: ${item.answered.split('\n')[0]}`,
    ...(top ? [`  suggestions: ${top}`] : []),
  ].join('\n');
}

/** Registers `mkt review`. */
export function register(program: Command): void {
  const review = program
    .command('review')
    .description('review queue: messages the assistant handled badly, labelled into training data');

  review
    .command('list')
    .description('list queued messages (open ones by default), oldest first')
    .option('--status <status>', 'open, labelled, answered or ignored')
    .option('--domain <domain>', 'customer or marketer')
    .option('--limit <n>', 'most items')
    .option('--json', 'print the result as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = ZListOptions.safeParse(raw);
      if (!parsed.success)
        throw new CliError(
          `bad option: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const { json, ...filter } = parsed.data;
      const items = await withReview((s) => s.list(filter));
      printResult(items, json, (r) =>
        r.length === 0 ? `no ${filter.status} items` : r.map(line).join('\n'),
      );
    });

  review
    .command('label <id> <intent>')
    .description('label an item with the right intent: it becomes a training example')
    .option('--by <name>', 'who labels (stored with the example)', 'cli')
    .action(async (id: string, intent: string, opts: { by: string }) => {
      const item = await withReview(async (s, audit) => {
        const done = await s.label(id, intent, opts.by);
        await audit('review.label', `review:${id}`);
        return done;
      });
      process.stdout.write(`labelled "${item.text}" as ${item.label}\n`);
    });

  review
    .command('answer <id> <text>')
    .description('answer an item with a new knowledge-base entry')
    .option('--title <title>', 'title of the entry (default: the question)')
    .option('--by <name>', 'who answers', 'cli')
    .action(async (id: string, text: string, opts: { title?: string; by: string }) => {
      if (!text.trim()) throw new CliError('the answer is empty');
      const item = await withReview(async (s, audit) => {
        const done = await s.answer(id, { text, title: opts.title }, opts.by);
        await audit('review.answer', `review:${id}`);
        return done;
      });
      process.stdout.write(`answered "${item.text}": knowledge-base entry ${item.kbDocumentId}\n`);
    });

  review
    .command('answer-with <id> <documentId>')
    .description(
      "answer an item with an existing knowledge-base entry ('mkt kb list' shows the ids): the message becomes one of its question's phrasings",
    )
    .option('--by <name>', 'who answers', 'cli')
    .action(async (id: string, documentId: string, opts: { by: string }) => {
      const parsed = ZDocumentId.safeParse(documentId);
      if (!parsed.success) throw new CliError('the knowledge-base entry id is empty or too long');
      const item = await withReview(async (s, audit) => {
        const done = await s.answerWith(id, parsed.data, opts.by);
        await audit('review.answer-with', `review:${id}`);
        return done;
      });
      process.stdout.write(`answered "${item.text}" with knowledge-base entry ${item.kbDocumentId}\n`);
    });

  review
    .command('ignore <id>')
    .description('ignore an item (nothing to learn from it)')
    .option('--by <name>', 'who ignores', 'cli')
    .action(async (id: string, opts: { by: string }) => {
      await withReview(async (s, audit) => {
        await s.ignore(id, opts.by);
        await audit('review.ignore', `review:${id}`);
      });
      process.stdout.write(`ignored ${id}\n`);
    });
}
