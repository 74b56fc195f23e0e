-- Every chat turn asks whether its conversation has an open handoff, and personal
-- recommendations read a customer's orders: both were sequential scans.

-- CreateIndex
CREATE INDEX "Handoff_conversationId_idx" ON "Handoff"("conversationId");

-- CreateIndex
CREATE INDEX "Order_customerId_idx" ON "Order"("customerId");
