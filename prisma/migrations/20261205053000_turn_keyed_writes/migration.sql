-- Every write a chat turn makes is keyed by the turn ("<conversationId>:<activityId>") under a
-- unique constraint, so a resent message that finishes a half-written turn inserts nothing twice.
-- Rows written outside a chat turn keep a null key (nulls never conflict).
-- AlterTable
ALTER TABLE "Consent" ADD COLUMN "turnKey" TEXT;

-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN "turnKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Consent_customerId_purpose_turnKey_key" ON "Consent"("customerId", "purpose", "turnKey");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_turnKey_productId_kind_key" ON "Interaction"("turnKey", "productId", "kind");
