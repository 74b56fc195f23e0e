-- Repeatable surveys (NPS, CSAT): one session per respondent, instrument and round.
ALTER TABLE "SurveySession" ADD COLUMN "round" INTEGER NOT NULL DEFAULT 1;

DROP INDEX "SurveySession_customerId_instrumentId_key";

CREATE UNIQUE INDEX "SurveySession_customerId_instrumentId_round_key" ON "SurveySession"("customerId", "instrumentId", "round");
