// "create a segment called bargain lovers with everyone whose price consciousness is above 3.5":
// a rule segment read from plain language, previewed with its size, saved on confirmation.
import type { RuleSegment } from '../../../surveys/index.js';
import { describeRules, parseSegmentDefinition, toRuleSegment } from '../segment-language.js';
import { defineKind, missing } from './kind.js';

/** A segment to create from the rule read. */
export interface SegmentCreateQuestion {
  kind: 'segment_create';
  rule: RuleSegment;
  unread: string[];
}

export const segmentCreate = defineKind<SegmentCreateQuestion>({
  kind: 'segment_create',
  access: 'customers',
  asked: {
    intents: ['segment_create'],
    cue: (t) => (/\b(create|make|build|save|define|set up)\b.*\bsegment\b/.test(t) ? 'segment_create' : null),
    read({ text, vocab }) {
      const parsed = parseSegmentDefinition(text, vocab);
      const rule = toRuleSegment(parsed, '');
      if (!parsed.name)
        return missing(
          'a name for the segment',
          'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
          [],
        );
      if (!rule || parsed.unread.length > 0)
        return missing(
          parsed.unread.length > 0
            ? `a condition I can read (not "${parsed.unread.join('", "')}")`
            : 'who belongs in it',
          `create a segment called ${parsed.name} with everyone whose price consciousness is above 3.5`,
          [
            ['promoters', `create a segment called ${parsed.name} with customers who are promoters`],
            [
              'price > 3.5',
              `create a segment called ${parsed.name} with everyone whose price consciousness is above 3.5`,
            ],
          ],
        );
      return {
        kind: 'segment_create',
        rule: { ...rule, description: describeRules(rule.rules, vocab.traits) },
        unread: [],
      };
    },
  },
  async answer(q, { deps }) {
    const vocab = await deps.insights.vocabulary();
    const size = await deps.insights.segmentPreview(q.rule);
    const exists = vocab.segments.some((s) => s.toLowerCase() === q.rule.name.toLowerCase());
    return {
      text: `${exists ? 'Redefine' : 'Create'} segment *${q.rule.name}*: ${describeRules(q.rule.rules, vocab.traits)}. It would hold *${size}* customers today. Save it?`,
      buttons: [
        {
          text: 'Save segment',
          actionId: 'mkt_segment_save',
          value: JSON.stringify(q.rule),
          style: 'primary',
        },
        { text: 'Cancel', actionId: 'mkt_segment_cancel', value: q.rule.name },
      ],
    };
  },
});
