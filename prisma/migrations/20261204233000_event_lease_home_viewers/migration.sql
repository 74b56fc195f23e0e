-- AlterTable: a claim is done once its event was processed; rows from before were all done.
ALTER TABLE "ProcessedEvent" ADD COLUMN "doneAt" TIMESTAMP(3);
UPDATE "ProcessedEvent" SET "doneAt" = "createdAt";

-- CreateTable
CREATE TABLE "SlackHomeViewer" (
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlackHomeViewer_pkey" PRIMARY KEY ("teamId","userId")
);
