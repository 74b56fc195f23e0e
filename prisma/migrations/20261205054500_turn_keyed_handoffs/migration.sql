-- A handoff remembers the chat turn that opened it ("<conversationId>:<activityId>"): a resent
-- request that finishes a half-written turn finds it instead of opening another or being relayed.
-- AlterTable
ALTER TABLE "Handoff" ADD COLUMN "turnKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Handoff_conversationId_turnKey_key" ON "Handoff"("conversationId", "turnKey");
