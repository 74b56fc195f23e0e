// Profiles in the database: the surveys capability's ProfileRepository port over Prisma (sessions
// and answers in, Profile rows out). The recomputation logic itself is surveys/profile-recompute.ts.
import {
  traitLabelsOf,
  ZInstrument,
  type ProfileRepository,
  type RankedProfile,
  type RespondentData,
} from '../../surveys/index.js';
import type { PrismaClient } from '../generated/client.js';
import { loadRespondentData } from './survey-profiles.js';
import type { TextCipher } from './survey-store.js';

/** Profiles stored in the Profile table; answers decrypted with `cipher` (free-text preferences). */
export class PrismaProfileRepository implements ProfileRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher?: TextCipher,
  ) {}

  respondentData(customerId: string): Promise<RespondentData> {
    return loadRespondentData(this.prisma, customerId, this.cipher);
  }

  async respondents(): Promise<string[]> {
    const [sessions, profiles] = await Promise.all([
      this.prisma.surveySession.findMany({ select: { customerId: true }, distinct: ['customerId'] }),
      this.prisma.profile.findMany({ select: { customerId: true } }),
    ]);
    return [...new Set([...sessions, ...profiles].map((r) => r.customerId))].sort();
  }

  async traitPopulation(excluding: readonly string[]): Promise<Record<string, number[]>> {
    const rows = await this.prisma.profile.findMany({
      where: excluding.length > 0 ? { customerId: { notIn: [...excluding] } } : {},
      select: { traits: true },
    });
    const out: Record<string, number[]> = {};
    for (const r of rows)
      for (const [t, v] of Object.entries((r.traits ?? {}) as Record<string, unknown>))
        if (typeof v === 'number') (out[t] ??= []).push(v);
    return out;
  }

  async save(profile: RankedProfile, vector: Float32Array | null): Promise<void> {
    const data = {
      traits: profile.traits,
      percentiles: profile.percentiles,
      npsClass: profile.npsClass,
      sentiment: profile.sentiment,
      preferences: profile.preferences,
      vector: vector ? [...vector] : [],
    };
    await this.prisma.profile.upsert({
      where: { customerId: profile.customerId },
      create: { customerId: profile.customerId, ...data },
      update: data,
    });
  }

  async remove(customerId: string): Promise<void> {
    await this.prisma.profile.deleteMany({ where: { customerId } });
  }

  async traitLabels(): Promise<Record<string, string>> {
    const rows = await this.prisma.instrument.findMany({
      select: { definition: true },
      orderBy: { id: 'asc' },
    });
    const instruments = rows.flatMap((r) => {
      const parsed = ZInstrument.safeParse(r.definition);
      return parsed.success ? [parsed.data] : [];
    });
    return traitLabelsOf(instruments);
  }
}
