// The data layer's repositories: each implements a port of a core (recsys/, surveys/) or of the
// dialog (bots/ports.ts) over the generated Prisma client, plus the demo seeds. The server wires
// them in; cores and channels never import this folder (see .dependency-cruiser.cjs).
export {
  PrismaConversationStore,
  PrismaPrivacy,
  PrismaSlackMembers,
  type FieldCipher,
} from './conversation-store.js';
export { PrismaEventLog } from './event-log.js';
export { prismaStatements, type SqlStatementRunner } from './turn-sql.js';
export { PrismaMarketerAnalytics } from './marketer-analytics.js';
export { createPrismaRecsysStore } from './recsys-store.js';
export { PrismaSurveyStore, decryptAnswer, type StoredAnswer, type TextCipher } from './survey-store.js';
export {
  loadRespondentData,
  refreshProfile,
  loadProfiles,
  saveRuleSegment,
  saveKMeansSegments,
  loadInstrumentResponses,
  type InstrumentResponses,
} from './survey-profiles.js';
export {
  createRetentionProcessor,
  purgeExpiredConversations,
  type RetentionOptions,
  type RetentionResult,
} from './retention.js';
export { seedDemoCatalog, type DemoSeedResult } from '../seeds/demo-catalog.js';
export { saveInstrument, seedDemoSurveys } from '../seeds/demo-surveys.js';
export { PrismaProfileRepository } from './profile-repository.js';
export { PrismaSegmentRepository, type SavedSegment } from './segment-repository.js';
export { PrismaMarketerInsights, type InsightSealing } from './marketer-insights.js';
export { SEGMENT_EXPORT_COLUMNS, type SegmentExport } from './segment-export.js';
export { recordSize } from './segment-history.js';
export { PrismaMemberRoles } from './member-roles.js';
export {
  DEMO_SEGMENTS,
  removeDemoRespondents,
  seedDemoRespondents,
  type DemoSealing,
} from '../seeds/demo-respondents.js';
export { createPrismaKbStore } from './kb-store.js';
export { PrismaHandoffRepository } from './handoff-repository.js';
export { PrismaSlackHomeViewers } from './slack-home-viewers.js';
export { PrismaOrderStatus } from './order-status.js';
export { DEMO_ORDER_EMAIL, seedDemoOrderDesk } from '../seeds/demo-order-desk.js';
export {
  PrismaReviewQueue,
  type ReviewedExample,
  type ReviewItemView,
  type ReviewQueueOptions,
  type ReviewStatus,
} from './review-queue.js';
