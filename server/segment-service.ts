// Saved segments for the admin API and the CLI: structured rules or plain-language conditions
// ("price consciousness above 3.5 and bought footwear") read into the same RuleSegment the Slack path
// saves, a size preview before saving, the rules in words, and the consented CSV export.
// Direct imports (not bots/index.ts): the CLI loads this without the chat channels.
import { describeRules, parseSegmentConditions } from '../bots/marketer/segment-language.js';
import { maskPII } from '../nlu/index.js';
import type { PrismaClient } from '../prisma/index.js';
import {
  PrismaMarketerInsights,
  PrismaSegmentRepository,
  saveKMeansSegments,
  type SavedSegment,
  type SegmentExport,
} from '../prisma/repositories/index.js';
import {
  ZRuleSegment,
  type KMeansSegmentation,
  type RuleSegment,
  type SegmentOverlap,
  type SegmentRule,
  type SegmentSizeHistory,
} from '../surveys/index.js';
import { SegmentServiceError, ZSegmentName, type SegmentInput, type SegmentPatch } from './segment-input.js';

export { SegmentServiceError, ZSegmentInput, ZSegmentName, ZSegmentPatch } from './segment-input.js';

/** A segment as shown: its rules in words and its current size. */
export interface SegmentDetail {
  id: string;
  name: string;
  description: string;
  kind: string;
  size: number;
  demo: boolean;
  match: 'all' | 'any' | null;
  rules: SegmentRule[] | null;
  /** the rules in words ("price consciousness > 3.5 and NPS class is promoter"), or the description */
  words: string;
  updatedAt: string;
}

/** What a definition would give, before saving. */
export interface SegmentPreview {
  name: string;
  match: 'all' | 'any';
  rules: SegmentRule[];
  words: string;
  size: number;
}

// Fields a rule can read (surveys' SegmentRecord); a misspelt one would silently match nobody.
const FIELDS = new Set([
  'traits',
  'percentiles',
  'npsClass',
  'sentiment',
  'preferences',
  'ageBand',
  'bought',
  'marketingOptIn',
]);

/** Saved segments over the database. */
export class SegmentService {
  private readonly repo: PrismaSegmentRepository;
  private readonly insights: PrismaMarketerInsights;

  /** `decrypt` opens names and e-mails for the export; without it only the export is unavailable. */
  constructor(
    private readonly prisma: PrismaClient,
    decrypt?: (sealed: string, context: string) => string,
  ) {
    this.repo = new PrismaSegmentRepository(prisma);
    // The e-mail hash is for customer lookups, which this service never does.
    this.insights = new PrismaMarketerInsights(prisma, {
      decrypt: (sealed, context) => {
        if (!decrypt) throw new Error('segment export needs the field cipher');
        return decrypt(sealed, context);
      },
      emailHash: () => '',
      maskPII,
    });
  }

  /** Every segment with its size. */
  list(): Promise<SavedSegment[]> {
    return this.repo.list();
  }

  /** One segment by its exact name (any case), with its rules in words. */
  async get(name: string): Promise<SegmentDetail | null> {
    const found = await this.byName(name);
    return found ? this.detail(found) : null;
  }

  /** Reads a definition into a rule segment and counts who it would hold now (nothing saved). */
  async preview(input: SegmentInput): Promise<SegmentPreview> {
    const rule = await this.rule(input.name, input);
    return {
      name: rule.name,
      match: rule.match,
      rules: rule.rules,
      words: rule.description,
      size: await this.repo.preview(rule),
    };
  }

  /** Saves a new rule segment with its members; an existing name is refused. */
  async create(input: SegmentInput): Promise<SegmentDetail> {
    if (await this.byName(input.name))
      throw new SegmentServiceError('SEGMENT_EXISTS', `a segment called "${input.name}" already exists`);
    const rule = await this.rule(input.name, input);
    return this.detail(
      await this.repo.saveRule({ ...rule, description: input.description ?? rule.description }),
    );
  }

  /** Renames, re-describes or redefines a segment (its members are recomputed when redefined). */
  async update(name: string, patch: SegmentPatch): Promise<SegmentDetail> {
    const found = await this.byName(name);
    if (!found) throw notFound(name);
    const newName = patch.name ?? found.name;
    if (newName.toLowerCase() !== found.name.toLowerCase() && (await this.byName(newName)))
      throw new SegmentServiceError('SEGMENT_EXISTS', `a segment called "${newName}" already exists`);
    const redefine = patch.rules !== undefined || patch.where !== undefined || patch.match !== undefined;
    if (!redefine) {
      const updated = await this.repo.update(found.id, {
        ...(patch.name ? { name: newName } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
      });
      return this.detail(updated!);
    }
    const current = ZRuleSegment.safeParse(found.definition);
    if (found.kind !== 'rules' || !current.success)
      throw new SegmentServiceError(
        'SEGMENT_NOT_RULES',
        `"${found.name}" is a ${found.kind} segment: only its name and description can change`,
      );
    const rule = await this.rule(newName, {
      match: patch.match ?? current.data.match,
      ...(patch.where !== undefined ? { where: patch.where } : { rules: patch.rules ?? current.data.rules }),
    });
    if (newName !== found.name) await this.repo.update(found.id, { name: newName });
    const description =
      patch.description ??
      (found.description === current.data.description ? rule.description : found.description);
    return this.detail(await this.repo.saveRule({ ...rule, description }));
  }

  /** Deletes a segment (its memberships go with it). */
  async remove(name: string): Promise<void> {
    const found = await this.byName(name);
    if (!found || !(await this.repo.remove(found.id))) throw notFound(name);
  }

  /**
   * Saves k-means clusters of customers as segments of kind "kmeans" under `names` (one per
   * cluster, in cluster order); a name already used by a rule segment is refused, not overwritten.
   */
  async saveClusters(
    seg: KMeansSegmentation,
    customerIds: readonly string[],
    names: readonly string[],
  ): Promise<SavedSegment[]> {
    if (names.length !== seg.segments.length)
      throw new SegmentServiceError(
        'SEGMENT_UNREADABLE',
        `${seg.segments.length} clusters need ${seg.segments.length} names, got ${names.length}`,
      );
    for (const name of names) {
      const checked = ZSegmentName.safeParse(name);
      if (!checked.success || checked.data !== name)
        throw new SegmentServiceError(
          'SEGMENT_UNREADABLE',
          `"${name}" is not a segment name (letters, digits, spaces)`,
        );
      const found = await this.byName(name);
      if (found && found.kind !== 'kmeans')
        throw new SegmentServiceError(
          'SEGMENT_EXISTS',
          `"${found.name}" is a ${found.kind} segment; choose other names for the clusters`,
        );
    }
    const known = await this.prisma.customer.count({ where: { id: { in: [...new Set(customerIds)] } } });
    if (known !== new Set(customerIds).size)
      throw new SegmentServiceError(
        'SEGMENT_UNREADABLE',
        `${new Set(customerIds).size - known} of the ids clustered are not customers of this database`,
      );
    await saveKMeansSegments(this.prisma, names, seg, customerIds);
    const all = await this.repo.list();
    return names.map((n) => all.find((s) => s.name === n)!);
  }

  /**
   * The members who agreed to marketing, as CSV (customer_id, name, email, age_band, nps_class,
   * comments: their free-text survey answers, decrypted and PII masked). For marketers and admins.
   */
  async exportCsv(name: string): Promise<SegmentExport> {
    const found = await this.byName(name);
    const exported = found ? await this.insights.segmentExport(found.name) : null;
    if (!exported) throw notFound(name);
    return exported;
  }

  /** Overlaps of the named segments (none: every pair); names that match no segment are in `missing`. */
  overlaps(names: readonly string[] = []): Promise<{ overlaps: SegmentOverlap[]; missing: string[] }> {
    return this.repo.overlaps(names);
  }

  /** A segment's recorded daily sizes in [from, to) and its size now; null when no such segment. */
  sizes(name: string, from: Date, to: Date): Promise<SegmentSizeHistory | null> {
    return this.repo.sizes(name, from, to);
  }

  private async byName(name: string): Promise<SavedSegment | null> {
    const needle = name.trim().toLowerCase();
    return (await this.repo.list()).find((s) => s.name.toLowerCase() === needle) ?? null;
  }

  private async traitLabels(): Promise<Record<string, string>> {
    return (await this.insights.vocabulary()).traits;
  }

  /** The definition as a validated rule segment whose description is the rules in words. */
  private async rule(
    name: string,
    def: { match?: 'all' | 'any'; rules?: SegmentRule[]; where?: string },
  ): Promise<RuleSegment> {
    const vocab = await this.insights.vocabulary();
    let rules = def.rules ?? [];
    if (def.where !== undefined) {
      const parsed = parseSegmentConditions(def.where, vocab);
      if (parsed.unread.length > 0 || parsed.rules.length === 0)
        throw new SegmentServiceError(
          'SEGMENT_UNREADABLE',
          parsed.unread.length > 0
            ? `could not read "${parsed.unread.join('", "')}"; e.g. "price consciousness above 3.5 and bought footwear"`
            : 'no condition given; e.g. "price consciousness above 3.5 and bought footwear"',
        );
      rules = parsed.rules;
    }
    for (const r of rules) {
      const [head, key] = r.field.split('.');
      if (!FIELDS.has(head!))
        throw new SegmentServiceError(
          'SEGMENT_UNREADABLE',
          `unknown field "${r.field}" (fields: ${[...FIELDS].join(', ')}; traits.ID and percentiles.ID take a trait id)`,
        );
      if ((head === 'traits' || head === 'percentiles') && !(key! in vocab.traits))
        throw new SegmentServiceError(
          'SEGMENT_UNREADABLE',
          `unknown trait "${key ?? ''}" in "${r.field}" (traits: ${Object.keys(vocab.traits).join(', ')})`,
        );
    }
    const checked = ZRuleSegment.parse({ name, description: '', match: def.match ?? 'all', rules });
    return { ...checked, description: describeRules(checked.rules, vocab.traits) };
  }

  private async detail(s: SavedSegment): Promise<SegmentDetail> {
    const rule = s.kind === 'rules' ? ZRuleSegment.safeParse(s.definition) : null;
    const words = rule?.success ? describeRules(rule.data.rules, await this.traitLabels()) : s.description;
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      kind: s.kind,
      size: s.size,
      demo: s.demo,
      match: rule?.success ? rule.data.match : null,
      rules: rule?.success ? rule.data.rules : null,
      words,
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}

function notFound(name: string): SegmentServiceError {
  return new SegmentServiceError('SEGMENT_NOT_FOUND', `no segment called "${name}"`);
}
