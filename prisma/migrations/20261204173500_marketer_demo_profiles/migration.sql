-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "ageBand" TEXT,
ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Profile" ADD COLUMN     "percentiles" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Segment" ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false;
