-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('placed', 'packed', 'shipped', 'delivered', 'cancelled', 'returned');

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "emailHash" TEXT,
ADD COLUMN     "shippedAt" TIMESTAMP(3),
ADD COLUMN     "status" "OrderStatus" NOT NULL DEFAULT 'delivered';
