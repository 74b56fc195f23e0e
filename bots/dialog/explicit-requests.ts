// Phrasings that are unambiguous requests to change state: consent, deletion, a person. Only these
// act without a yes/no question; a classifier guess never does (GDPR: consent must be unambiguous).
// Each pattern names the thing the customer wants changed, so "please email me the receipt" or
// "can I pay by card?" cannot match. Particle verbs take their object in the middle as well as
// after ("opt me out", "sign me up").

/** Intents whose execution changes what we store or who answers. */
export const STATE_CHANGING_INTENTS: ReadonlySet<string> = new Set([
  'opt_in',
  'opt_out',
  'data_forget',
  'handoff',
]);

const MARKETING = String.raw`(?:marketing|promotional|promo|newsletters?|offers?|deals|promotions?|advertising|ads|spam|mailing list|e-?mail list|marketing e-?mails?)`;

const PATTERNS: ReadonlyArray<[string, RegExp]> = [
  [
    'opt_out',
    new RegExp(
      String.raw`\b(?:unsubscribe|opt(?:\s|-)?(?:me |us )?out|withdraw (?:my )?consent|` +
        String.raw`stop (?:sending|e-?mailing|mailing|messaging)(?: me)?(?: any| your| the| all)*(?: ${MARKETING}| e-?mails?| messages?)|` +
        String.raw`stop (?:the |all |your )?${MARKETING}|stop spamming|(?:turn|switch) off (?:the |all )?${MARKETING}|cancel (?:my |the )?${MARKETING}|` +
        String.raw`(?:no|don'?t want(?: any)?|do not want(?: any)?) (?:more )?${MARKETING}|` +
        String.raw`(?:don'?t|do not|never) (?:send|e-?mail|contact) me (?:any )?(?:more )?(?:${MARKETING}|e-?mails)|` +
        String.raw`(?:remove|take) me (?:off|from) (?:your |the )?(?:${MARKETING}|list))`,
      'i',
    ),
  ],
  [
    'opt_in',
    new RegExp(
      String.raw`(?:^|[^a-z])(?:subscribe(?: me)?(?: to)?|opt(?:\s|-)?(?:me |us )?in\b|sign me up(?: for| to)?(?: your| the)? ${MARKETING}|` +
        String.raw`(?:send|e-?mail) me (?:your |the |some )?(?:latest )?${MARKETING}|` +
        String.raw`(?:i'?d|i would|i want to|i wanna) (?:like to )?(?:get|receive|have) (?:your |the )?${MARKETING}|` +
        String.raw`join (?:your |the )?(?:newsletter|mailing list)|(?:turn|switch) on (?:the )?${MARKETING})`,
      'i',
    ),
  ],
  [
    'data_forget',
    new RegExp(
      String.raw`\b(?:forget (?:about )?me|forget (?:all )?(?:my|about my) (?:data|details|information)|` +
        String.raw`(?:delete|erase|remove|wipe) (?:all )?(?:of )?(?:my|the) (?:data|account|personal (?:data|information|details)|information|details|profile)|` +
        String.raw`right to (?:be forgotten|erasure))\b`,
      'i',
    ),
  ],
  [
    'handoff',
    new RegExp(
      String.raw`\b(?:(?:talk|speak|chat) (?:to|with) (?:a |an |some |your )?(?:real |actual |live )?(?:human|person|agent|someone|somebody|representative|operator|staff|colleague|people|customer service)|` +
        String.raw`(?:want|need|like|give me|get me) (?:a |an |to )?(?:real |live )?(?:human|person|agent)|(?:real |live )?(?:human|person|agent),? please|` +
        String.raw`(?:connect|transfer|put) me (?:to|through to|with) (?:a |an |some )?(?:human|person|agent|someone|representative|customer service))\b`,
      'i',
    ),
  ],
];

/** The state-changing intent the text explicitly asks for, or null. Pure. */
export function explicitRequest(text: string): string | null {
  // Opt-out before opt-in: "unsubscribe" contains "subscribe".
  for (const [intent, pattern] of PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    // "I don't want a person", "never subscribe me": a negated request is not a request (opt-out
    // phrasings carry their own negation and are matched as a whole).
    if (intent !== 'opt_out' && NEGATION.test(text.slice(Math.max(0, m.index - 25), m.index + 1))) continue;
    return intent;
  }
  return null;
}

const NEGATION = /\b(?:don'?t|do not|doesn'?t|not|never|no need to)\b/i;
