-- Phone numbers are no longer unique (families share one, and a unique index let anyone test
-- whether a number belongs to a patient). The blind index stays, as a plain index, for lookups.
-- DropIndex
DROP INDEX "accounts"."users_phone_hash_key";

-- CreateIndex
CREATE INDEX "users_phone_hash_idx" ON "accounts"."users"("phone_hash");
