// Performs one DialogAction through its handler (handlers/index.ts) and phrases the result. All
// decisions were made in decide.ts; handlers only do I/O and wording, and feed results (shown
// products, survey end) back into the state.
import type { Decision, DialogAction } from './actions.js';
import type { ActionContext, ActionHandler, ExecuteDeps, Executed, TurnInfo } from './handlers/context.js';
import { ACTION_HANDLERS } from './handlers/index.js';
import { Responses } from './responses.js';
import type { DialogState } from './state.js';

export type { ExecuteDeps, Executed, TurnInfo } from './handlers/context.js';
export { turnKey } from './handlers/context.js';
export { surveyReply } from './handlers/surveys.js';
export { describeExport } from './handlers/account.js';

const shipped = new Map<string, Responses>();

function responsesOf(deps: ExecuteDeps): Responses {
  if (deps.responses) return deps.responses;
  let r = shipped.get(deps.brandName);
  if (!r) shipped.set(deps.brandName, (r = Responses.load(deps.brandName)));
  return r;
}

/** Runs an action and returns what to say. */
export async function execute(
  action: DialogAction,
  state: DialogState,
  turn: TurnInfo,
  deps: ExecuteDeps,
  extras: Pick<Decision, 'offerHandoff'> = {},
): Promise<Executed> {
  const ctx: ActionContext = { state, turn, deps: { ...deps, responses: responsesOf(deps) } };
  const handler = ACTION_HANDLERS[action.kind] as ActionHandler<DialogAction['kind']>;
  const done = await handler(action as never, ctx);
  if (!extras.offerHandoff || done.forgotten) return done;
  const offer = ctx.deps.responses.render('handoff_offer');
  return {
    ...done,
    replies: [
      ...done.replies,
      { kind: 'text', text: offer.text, suggestions: offer.suggestions, tag: 'handoff_offer' },
    ],
  };
}
