-- The staff action log: what a staff write changed (its kind and id), to filter the audit log by target.
-- staff_write: an entry of the staff action log (not a read, which is what a patient's "who read my record" lists).
ALTER TABLE "accounts"."audit_log" ADD COLUMN "target_type" TEXT, ADD COLUMN "target_id" TEXT, ADD COLUMN "staff_write" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "audit_log_target_id_seq_idx" ON "accounts"."audit_log"("target_id", "seq");

-- CreateIndex
CREATE INDEX "audit_log_action_seq_idx" ON "accounts"."audit_log"("action", "seq");

-- CreateIndex
CREATE INDEX "audit_log_request_id_idx" ON "accounts"."audit_log"("request_id");
