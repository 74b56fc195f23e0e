import { InMemorySurveyStore } from '../../surveys/index.js';
import { contractInstruments, runnerContract } from './runner-contract.js';

runnerContract('the in-memory store', async () => {
  const store = new InMemorySurveyStore(contractInstruments());
  let n = 0;
  return {
    store,
    reopen: async () => store,
    newRespondent: async () => `r${++n}`,
    consents: async (r) =>
      store.consents
        .filter((c) => c.respondentId === r)
        .map((c) => ({ purpose: c.purpose, granted: c.granted, revoked: c.revokedAt !== null })),
    close: async () => undefined,
  };
});
