-- CreateTable
CREATE TABLE "KbDocument" (
    "id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "question" TEXT,
    "altQuestions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "body" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KbDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbChunk" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "heading" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "KbChunk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbDocumentVersion" (
    "documentId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbDocumentVersion_pkey" PRIMARY KEY ("documentId","version")
);

-- CreateTable
CREATE TABLE "KbVector" (
    "key" TEXT NOT NULL,
    "encoderId" TEXT NOT NULL,
    "vector" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbVector_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "KbState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KbState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbQuestion" (
    "id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "answered" BOOLEAN NOT NULL,
    "confidence" DOUBLE PRECISION,
    "documentId" TEXT,
    "channel" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KbDocument_origin_idx" ON "KbDocument"("origin");

-- CreateIndex
CREATE UNIQUE INDEX "KbChunk_documentId_position_key" ON "KbChunk"("documentId", "position");

-- CreateIndex
CREATE INDEX "KbQuestion_answered_createdAt_idx" ON "KbQuestion"("answered", "createdAt");

-- AddForeignKey
ALTER TABLE "KbChunk" ADD CONSTRAINT "KbChunk_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "KbDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KbDocumentVersion" ADD CONSTRAINT "KbDocumentVersion_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "KbDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;
