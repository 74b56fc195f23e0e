-- A resent chat message whose turn failed half-way (stored, never answered) finishes that turn.
-- AlterTable
ALTER TABLE "Message" ADD COLUMN "answeredAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SurveySession" ADD COLUMN "replyKey" TEXT;

-- Messages stored before this migration count as answered: a late resend of one is not re-run.
UPDATE "Message" SET "answeredAt" = "createdAt" WHERE "direction" = 'user';
