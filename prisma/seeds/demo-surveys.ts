import type { PrismaClient } from '../generated/client.js';
import { loadShippedInstruments } from '../../surveys/catalog.js';
import type { Instrument } from '../../surveys/instrument.js';

/** Inserts or updates one validated instrument in the Instrument table. */
export async function saveInstrument(prisma: PrismaClient, instrument: Instrument): Promise<void> {
  const definition = JSON.parse(JSON.stringify(instrument)) as object;
  await prisma.instrument.upsert({
    where: { id: instrument.id },
    create: { id: instrument.id, version: instrument.version, title: instrument.title, definition },
    update: { version: instrument.version, title: instrument.title, definition },
  });
}

/** First-run seed: the shipped instruments (IPIP, Mini-IPIP, NPS, CSAT, purchase motivation); idempotent. */
export async function seedDemoSurveys(prisma: PrismaClient): Promise<{ instruments: string[] }> {
  const instruments = loadShippedInstruments();
  for (const inst of instruments) await saveInstrument(prisma, inst);
  return { instruments: instruments.map((i) => i.id) };
}
