-- CreateTable
CREATE TABLE "SegmentSize" (
    "segmentId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "size" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentSize_pkey" PRIMARY KEY ("segmentId","day")
);

-- AddForeignKey
ALTER TABLE "SegmentSize" ADD CONSTRAINT "SegmentSize_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
