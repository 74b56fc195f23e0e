// Block Kit of the review queue: one message per item, with the right intent as buttons (the
// classifier's top suggestions first), "it's a product search", "ignore", any other intent from a
// menu, and the answer: the closest existing knowledge-base entries, or "write a new answer" (a
// modal). Button values carry the item id and the label or entry.
import type { types } from '@slack/bolt';
import type { ReviewItemCard } from '../../review-ports.js';

/** Action ids of the review buttons. */
export const REVIEW_ACTIONS = {
  label: 'review_label',
  labelMenu: 'review_label_menu',
  answer: 'review_answer',
  answerWith: 'review_kb',
  ignore: 'review_ignore',
  rollback: 'review_rollback',
} as const;

/** Callback id of the "new answer" modal. */
export const REVIEW_ANSWER_MODAL = 'review_answer_modal';

const SUGGESTED = 3;
// Slack's limits: 75 characters of button text, 100 options per menu, 3,000 characters a section.
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** What a reason means to a reviewer. */
const REASONS: Record<ReviewItemCard['reason'], string> = {
  out_of_scope: 'refused as out of scope',
  did_you_mean: 'asked "did you mean"',
  fallback: 'not understood',
  handoff: 'handed to a person',
  low_confidence: 'answered on a guess',
  kb_low_confidence: 'help centre had no answer',
};

/** The blocks of one item; `entries` are the knowledge-base entries offered as its answer. */
export function reviewItemBlocks(
  item: ReviewItemCard,
  labels: readonly string[],
  entries: ReadonlyArray<{ documentId: string; title: string }> = [],
): types.KnownBlock[] {
  const value = (intent: string) => JSON.stringify({ id: item.id, intent });
  const suggested = item.suggestions.slice(0, SUGGESTED).map((s) => s.intent);
  const buttons: types.Button[] = suggested.map((intent, i) => ({
    type: 'button',
    action_id: `${REVIEW_ACTIONS.label}_${i}`,
    text: { type: 'plain_text', text: cut(intent, 75) },
    value: value(intent),
    ...(i === 0 ? { style: 'primary' as const } : {}),
  }));
  if (item.domain === 'customer' && !suggested.includes('product_search'))
    buttons.push({
      type: 'button',
      action_id: `${REVIEW_ACTIONS.label}_search`,
      text: { type: 'plain_text', text: "It's a product search" },
      value: value('product_search'),
    });
  buttons.push({
    type: 'button',
    action_id: REVIEW_ACTIONS.ignore,
    text: { type: 'plain_text', text: 'Ignore' },
    value: item.id,
  });
  const answers: types.Button[] = [
    ...entries.map((e, i) => ({
      type: 'button' as const,
      action_id: `${REVIEW_ACTIONS.answerWith}_${i}`,
      text: { type: 'plain_text' as const, text: cut(`Answer with “${e.title}”`, 75) },
      value: JSON.stringify({ id: item.id, doc: e.documentId }),
    })),
    {
      type: 'button',
      action_id: REVIEW_ACTIONS.answer,
      text: { type: 'plain_text', text: 'Write a new answer' },
      value: item.id,
    },
  ];
  const others = labels.filter((l) => !suggested.includes(l)).slice(0, 100);
  const confidence = item.confidence === null ? '' : ` (confidence ${item.confidence.toFixed(2)})`;
  return [
    { type: 'section', text: { type: 'mrkdwn', text: cut(`*“${item.text}”*`, 3000) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cut(
            [
              `${item.domain} · ${REASONS[item.reason]}${confidence}`,
              ...(item.previousText ? [`before: “${item.previousText}”`] : []),
              `answered: ${item.answered.split('\n')[0]}`,
            ].join('\n'),
            3000,
          ),
        },
      ],
    },
    { type: 'actions', block_id: `review_${item.id}`, elements: buttons },
    { type: 'actions', block_id: `review_answer_${item.id}`, elements: answers },
    ...(others.length
      ? [
          {
            type: 'actions' as const,
            elements: [
              {
                type: 'static_select' as const,
                action_id: REVIEW_ACTIONS.labelMenu,
                placeholder: { type: 'plain_text' as const, text: 'Another intent…' },
                options: others.map((intent) => ({
                  text: { type: 'plain_text' as const, text: cut(intent, 75) },
                  value: value(intent),
                })),
              },
            ],
          },
        ]
      : []),
  ];
}

/** The modal for a new knowledge-base answer; the item and the message travel in private_metadata. */
export function answerModal(
  item: { id: string; text: string },
  where: { channel: string; ts?: string },
): types.View {
  return {
    type: 'modal',
    callback_id: REVIEW_ANSWER_MODAL,
    private_metadata: JSON.stringify({ id: item.id, ...where }),
    title: { type: 'plain_text', text: 'New answer' },
    submit: { type: 'plain_text', text: 'Save answer' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: cut(`The customer asked: *“${item.text}”*`, 3000) } },
      {
        type: 'input',
        block_id: 'answer',
        label: { type: 'plain_text', text: 'Answer (added to the help centre)' },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3000 },
      },
    ],
  };
}

/** The retrain report, with a "roll back" button per domain whose new version went live (admins). */
export function retrainReportBlocks(
  text: string,
  swapped: ReadonlyArray<{ domain: string; version: number; previousVersion: number | null }>,
): types.KnownBlock[] {
  const buttons: types.Button[] = swapped
    .filter((s) => s.previousVersion !== null)
    .map((s) => ({
      type: 'button',
      action_id: `${REVIEW_ACTIONS.rollback}_${s.domain}`,
      style: 'danger',
      text: { type: 'plain_text', text: `Roll ${s.domain} back to v${s.previousVersion}` },
      value: JSON.stringify({ domain: s.domain, version: s.version }),
    }));
  return [
    { type: 'section', text: { type: 'mrkdwn', text: cut(text, 3000) } },
    ...(buttons.length ? [{ type: 'actions' as const, elements: buttons }] : []),
  ];
}
