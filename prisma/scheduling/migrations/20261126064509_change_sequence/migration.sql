-- AlterTable
ALTER TABLE "scheduling"."appointment_changes" ADD COLUMN     "seq" BIGSERIAL NOT NULL;
