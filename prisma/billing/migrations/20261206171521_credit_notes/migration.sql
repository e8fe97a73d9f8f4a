-- AlterTable
ALTER TABLE "billing"."invoices" ADD COLUMN     "credit_for" UUID,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'INVOICE',
ADD COLUMN     "reason" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "invoices_credit_for_key" ON "billing"."invoices"("credit_for");
