-- AlterTable
ALTER TABLE "billing"."invoice_lines" ALTER COLUMN "service_id" DROP NOT NULL;
