-- CreateTable
CREATE TABLE "accounts"."audit_log" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_role" TEXT,
    "action" TEXT NOT NULL,
    "patient_id" UUID,
    "request_id" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_patient_id_seq_idx" ON "accounts"."audit_log"("patient_id", "seq");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_seq_idx" ON "accounts"."audit_log"("actor_id", "seq");

-- CreateIndex
CREATE INDEX "audit_log_seq_idx" ON "accounts"."audit_log"("seq");

-- Hand-written: the audit log is append-only.
CREATE FUNCTION "accounts"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'accounts.audit_log is append-only';
END
$$;
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "accounts"."audit_log" FOR EACH ROW EXECUTE FUNCTION "accounts"."audit_log_append_only"();
