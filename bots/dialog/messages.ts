// The bot's wording in one place, so tone stays consistent and copy changes touch one file.
import type { CannedReply } from './decide.js';
import type { Suggestion } from './types.js';

/** Human names for intents, used by "did you mean" buttons. */
export const INTENT_LABELS: Record<string, string> = {
  greet: 'Say hello',
  help: 'See what I can do',
  product_search: 'Find a product',
  recommend: 'Get recommendations',
  more_like_this: 'More like this',
  cheaper: 'Something cheaper',
  bought_together: 'What goes with it',
  product_question: 'Ask about a product',
  add_to_basket: 'Add to basket',
  survey_start: 'Take a survey',
  survey_continue: 'Continue my survey',
  survey_stop: 'Stop the survey',
  feedback: 'Give feedback',
  handoff: 'Talk to a person',
  opt_in: 'Get marketing e-mails',
  opt_out: 'Stop marketing e-mails',
  data_export: 'See my data',
  data_forget: 'Delete my data',
};

/** Buttons offered with help and greetings. */
export function starterSuggestions(): Suggestion[] {
  return [
    { title: 'Recommend something', text: 'What would you recommend for me?' },
    { title: 'Personality survey', text: 'I want to take the personality survey' },
    { title: 'Talk to a person', text: 'I want to talk to a human' },
  ];
}

/** Text of a canned reply. */
export function cannedText(reply: CannedReply, brandName: string): string {
  switch (reply) {
    case 'greet':
      return `Hi! I'm the ${brandName} assistant. Tell me what you're looking for, like "a warm jacket under 100", or ask for recommendations.`;
    case 'goodbye':
      return 'Bye for now. Come back any time!';
    case 'thanks':
      return "You're welcome! Anything else I can help with?";
    case 'help':
      return [
        'I can:',
        '• find products ("waterproof boots under 80")',
        '• recommend things for you, show more like an item, cheaper ones, or what goes with it',
        '• run a short survey (personality, or how we are doing)',
        '• get a person to join the chat',
        '• show or delete what we know about you, and switch marketing e-mails on or off',
      ].join('\n');
    case 'smalltalk':
      return "I'm a shopping assistant, so I'm better at products than chit-chat, but I'm doing fine, thanks! What can I find for you?";
    case 'non_english':
      return 'Sorry, I can only chat in English for now. / Lo siento, solo hablo inglés. / Désolé, je ne parle qu’anglais.';
    case 'unsupported_attachment':
      return "Thanks for the file, but I can't read attachments yet. Could you describe what you need in words?";
    case 'out_of_scope':
      return 'Sorry, I didn\'t get that. I can find products, recommend things, run a short survey or get you a person. Type "help" to see more.';
    case 'no_focus_product':
      return 'Which product do you mean? Search for something first, then use the buttons on a product card.';
    case 'no_survey_active':
      return 'There\'s no survey in progress. Say "take the personality survey" to start one.';
    case 'forget_cancelled':
      return "OK, I didn't delete anything.";
    case 'ok':
      return 'OK!';
  }
}
