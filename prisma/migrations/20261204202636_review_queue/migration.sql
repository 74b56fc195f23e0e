-- DropIndex
DROP INDEX "NluExample_text_intent_key";

-- AlterTable
ALTER TABLE "NluExample" ADD COLUMN     "domain" TEXT NOT NULL DEFAULT 'customer',
ADD COLUMN     "labelledAt" TIMESTAMP(3),
ADD COLUMN     "labelledBy" TEXT,
ADD COLUMN     "reviewItemId" TEXT;

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "conversationId" TEXT,
    "text" TEXT NOT NULL,
    "previousText" TEXT,
    "previousReply" TEXT,
    "answered" TEXT NOT NULL,
    "intent" TEXT,
    "confidence" DOUBLE PRECISION,
    "suggestions" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'open',
    "label" TEXT,
    "kbDocumentId" TEXT,
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewItem_status_createdAt_idx" ON "ReviewItem"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewItem_conversationId_idx" ON "ReviewItem"("conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "NluExample_domain_text_intent_key" ON "NluExample"("domain", "text", "intent");

-- AddForeignKey
ALTER TABLE "NluExample" ADD CONSTRAINT "NluExample_reviewItemId_fkey" FOREIGN KEY ("reviewItemId") REFERENCES "ReviewItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
