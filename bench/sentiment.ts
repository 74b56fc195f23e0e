// `npm run bench -- sentiment`: unseen-domain sentiment accuracy of this project vs VADER and AFINN.
import { runSentimentBench } from './_sentiment.js';

/** Runs the sentiment benchmark (both directions) and returns its JSON result. */
export default async function sentimentBench(_args: string[]): Promise<object> {
  return runSentimentBench();
}
