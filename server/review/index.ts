// The learning loop's review side: the service every surface uses, and its wiring.
export {
  OUT_OF_SCOPE_LABEL,
  REVIEW_ERROR_STATUS,
  ReviewService,
  KB_CHOICES,
  type KbEntryChoice,
  type ReviewServiceDeps,
} from './review-service.js';
export { createReviewService, createReviewServiceForCommands } from './wiring.js';
export { reviewDigestProcessor } from './digest.js';
export { slackRetrainReport } from './retrain-report.js';
export {
  questionKey,
  withReviewedAnswers,
  type HelpCentreKb,
  type ReviewedQuestions,
} from './reviewed-answers.js';
