-- A question the chat routed to the help centre is logged under its turn's key
-- ("<conversationId>:<activityId>"), so a resent message finishing its turn counts it once.
-- AlterTable
ALTER TABLE "KbQuestion" ADD COLUMN "turnKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "KbQuestion_turnKey_key" ON "KbQuestion"("turnKey");
