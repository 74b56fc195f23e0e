// The shape of one kind of marketer question: which intents ask it and which cue words leave no
// doubt, how the words are read into the question, who may ask it, and how it is answered. Each
// kind is one module in this folder, listed once in the registry (index.ts).
import type { MemberRole } from '../../ports.js';
import type { MarketerVocabulary } from '../questions.js';
import type { MarketerAnswerDeps, MarketerReply } from '../reply.js';

/** What a question needs from the caller's role: aggregate figures, customer-level data, admin. */
export type Access = 'any' | 'customers' | 'admin';

/** A required thing is missing: say what, with buttons for the likely choices. */
export interface MissingQuestion {
  kind: 'missing';
  what: string;
  example: string;
  choices: { label: string; question: string }[];
}

/** Everything a reader gets: the words, the intent that chose this kind, the data's names. */
export interface ReadContext {
  /** The marketer's words as typed. */
  text: string;
  /** The same words normalised (vocabulary-match's `normalise`). */
  t: string;
  /** The intent (from a cue or the model) that chose this kind. */
  intent: string;
  vocab: MarketerVocabulary;
  now: Date;
}

/** What an answer gets besides its question. */
export interface AnswerContext {
  role: MemberRole;
  deps: MarketerAnswerDeps;
}

/**
 * One kind of question. `Q` is the question it answers; `Also` the other kinds its reader may
 * hand over to (a trend asked of a trait is a trait chart).
 */
export interface QuestionModule<Q extends { kind: string }, Also extends { kind: string } = never> {
  kind: Q['kind'];
  access: Access;
  /** How it is asked in words; absent for kinds built only by code (buttons, slash commands). */
  asked?: {
    /** Intents of bots/nlu-data/marketer.yml that ask it. */
    intents: readonly string[];
    /** Cue words that name one of `intents` whatever the classifier says (tried in registry order). */
    cue?(t: string, vocab: MarketerVocabulary): string | null;
    read(c: ReadContext): Q | Also | MissingQuestion;
  };
  answer(q: Q, c: AnswerContext): MarketerReply | Promise<MarketerReply>;
}

/** Declares a kind (identity: it fixes the type parameters). */
export function defineKind<Q extends { kind: string }, Also extends { kind: string } = never>(
  m: QuestionModule<Q, Also>,
): QuestionModule<Q, Also> {
  return m;
}

/** The question asking for a missing thing, with up to five [label, question] choices. */
export function missing(what: string, example: string, choices: [string, string][]): MissingQuestion {
  return {
    kind: 'missing',
    what,
    example,
    choices: choices.map(([label, question]) => ({ label, question })),
  };
}
