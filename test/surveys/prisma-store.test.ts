import { createTestDatabase } from '../support/db.js';
import { contractInstruments, runnerContract } from './runner-contract.js';
import { PrismaSurveyStore, saveInstrument, seedDemoSurveys } from '../../prisma/repositories/index.js';

for (const kind of ['pglite', 'postgres'] as const) {
  runnerContract(`the Prisma store (${kind})`, async () => {
    const db = await createTestDatabase(kind);
    const seeded = await seedDemoSurveys(db.prisma);
    for (const inst of contractInstruments())
      if (!seeded.instruments.includes(inst.id)) await saveInstrument(db.prisma, inst);
    return {
      store: new PrismaSurveyStore(db.prisma),
      reopen: async () => new PrismaSurveyStore(db.prisma),
      newRespondent: async () => (await db.prisma.customer.create({ data: {} })).id,
      consents: async (r) =>
        (await db.prisma.consent.findMany({ where: { customerId: r }, orderBy: { createdAt: 'asc' } })).map(
          (c) => ({
            purpose: c.purpose,
            granted: c.granted,
            revoked: c.revokedAt !== null,
          }),
        ),
      close: () => db.close(),
    };
  });
}
