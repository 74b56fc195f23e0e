-- AlterTable
ALTER TABLE "Handoff" ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "closedBy" TEXT,
ADD COLUMN     "firstReplyAt" TIMESTAMP(3),
ADD COLUMN     "slackChannel" TEXT,
ADD COLUMN     "slackTs" TEXT;

-- CreateTable
CREATE TABLE "HandoffMessage" (
    "id" TEXT NOT NULL,
    "handoffId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "author" TEXT,
    "text" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "deliveredAt" TIMESTAMP(3),
    "postedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HandoffMessage_handoffId_createdAt_idx" ON "HandoffMessage"("handoffId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "HandoffMessage_handoffId_eventKey_key" ON "HandoffMessage"("handoffId", "eventKey");

-- CreateIndex
CREATE INDEX "Handoff_slackTs_idx" ON "Handoff"("slackTs");

-- AddForeignKey
ALTER TABLE "HandoffMessage" ADD CONSTRAINT "HandoffMessage_handoffId_fkey" FOREIGN KEY ("handoffId") REFERENCES "Handoff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
