-- AlterTable
ALTER TABLE "accounts"."patients" ADD COLUMN     "national_id_enc" TEXT,
ADD COLUMN     "national_id_hash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "patients_national_id_hash_key" ON "accounts"."patients"("national_id_hash");
