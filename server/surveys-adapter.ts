// surveys/ seen through the bots' Surveys port: runner turns as survey steps, survey errors as
// polite "unavailable" steps.
import type { ChannelName, SurveyStep, Surveys } from '../bots/index.js';
import type { PrismaClient } from '../prisma/index.js';
import { AlreadyCompletedError, SurveyError, type SurveyRunner, type Turn } from '../surveys/index.js';

/** surveys/ → Surveys port. */
export function surveysAdapter(runner: SurveyRunner, prisma: PrismaClient): Surveys {
  const guard = async (instrumentId: string, work: () => Promise<Turn>): Promise<SurveyStep> => {
    try {
      return toStep(await work());
    } catch (error) {
      if (!(error instanceof SurveyError)) throw error;
      const text =
        error instanceof AlreadyCompletedError
          ? error.againFrom
            ? `You've already answered this survey — thank you! You can answer it again from ${error.againFrom.toISOString().slice(0, 10)}.`
            : "You've already completed this survey. Thank you!"
          : error.code === 'SURVEY_INSTRUMENT_NOT_FOUND'
            ? "Sorry, that survey isn't available right now."
            : error.message;
      return { kind: 'unavailable', instrumentId, text };
    }
  };
  return {
    list: async () => {
      const rows = await prisma.instrument.findMany({
        where: { active: true },
        select: { id: true, title: true, definition: true },
        orderBy: { id: 'asc' },
      });
      // The description lets customers name a survey by what it is about.
      return rows.map((r) => {
        const d = r.definition as { description?: unknown } | null;
        return typeof d?.description === 'string'
          ? { id: r.id, title: r.title, description: d.description }
          : { id: r.id, title: r.title };
      });
    },
    start: (customerId, instrumentId, channel) =>
      guard(instrumentId, () => runner.start(customerId, instrumentId, channel)),
    answer: (customerId, instrumentId, text, channel: ChannelName, key) =>
      guard(instrumentId, async () => {
        try {
          return await runner.reply(customerId, instrumentId, text, channel, key);
        } catch (error) {
          // The conversation remembers a survey the runner has no session for (deleted data): restart it.
          if (error instanceof SurveyError && error.code === 'SURVEY_SESSION_NOT_FOUND')
            return runner.start(customerId, instrumentId, channel);
          throw error;
        }
      }),
    stop: async (customerId, instrumentId, channel, key) => {
      await guard(instrumentId, () => runner.reply(customerId, instrumentId, 'stop', channel, key));
    },
  };
}

function toStep(turn: Turn): SurveyStep {
  const said = turn.messages.filter(Boolean).join('\n\n');
  if (!turn.prompt) {
    const text = said || (turn.status === 'completed' ? 'That was the last question. Thank you!' : 'OK.');
    return { kind: 'completed', instrumentId: turn.instrumentId, text };
  }
  const p = turn.prompt;
  return {
    kind: 'question',
    instrumentId: turn.instrumentId,
    itemId: p.itemId,
    text: p.text,
    index: p.progress?.current ?? 0,
    total: p.progress?.total ?? 0,
    options: p.quickReplies.map((q) => ({ label: q.label, value: q.value })),
    ...(turn.reasked ? { reask: said } : said ? { preface: said } : {}),
  };
}
