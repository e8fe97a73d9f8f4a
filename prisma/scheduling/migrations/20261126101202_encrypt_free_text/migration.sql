-- Issue 5, PHI at rest: the free text a patient or clinician typed — appointments.reason (why the patient
-- wants the visit), appointments.feedback_comment, appointment_changes.reason (request, reject, cancel,
-- overbook, expiry reasons) — is stored only sealed by the platform's field cipher (AES-256-GCM, key id
-- inside the value, ADR 3) in new `*_enc` columns, and the clear columns are dropped.
--
-- Why dropping cannot silently lose data: SQL cannot encrypt (the keys live in the application), so this
-- migration cannot carry clear values over. There is no production data yet, so instead of a backfill it
-- REFUSES to run while any clear value exists: the guard below raises an error before anything changes,
-- and the whole script (one implicit transaction) rolls back. It reports row counts only, never a value.
-- On a development database holding appointments with reasons (e.g. .clinigraph/pgdata after clicking
-- through the demo), reset it: `DROP SCHEMA scheduling CASCADE` (or delete .clinigraph/pgdata) and migrate
-- again. Were there ever real data, the way forward is expand/contract: a migration adding only the `*_enc`
-- columns, a backfill run by the application (it holds the keys) that encrypts and clears the old columns,
-- then this one (whose guard then passes). After the guard fired, Prisma records the attempt as failed and
-- applies nothing more until it is marked rolled back (what `prisma migrate resolve --rolled-back` does):
--   UPDATE scheduling._prisma_migrations SET rolled_back_at = now()
--    WHERE migration_name = '20261126101202_encrypt_free_text' AND finished_at IS NULL;
DO $$
DECLARE
  clear_appointments bigint;
  clear_changes bigint;
BEGIN
  SELECT count(*) INTO clear_appointments FROM "scheduling"."appointments" WHERE "reason" IS NOT NULL OR "feedback_comment" IS NOT NULL;
  SELECT count(*) INTO clear_changes FROM "scheduling"."appointment_changes" WHERE "reason" IS NOT NULL;
  IF clear_appointments > 0 OR clear_changes > 0 THEN
    RAISE EXCEPTION 'encrypt_free_text: % appointment(s) and % appointment change(s) hold free text in clear; it would be lost. Nothing was changed.', clear_appointments, clear_changes
      USING HINT = 'Development database: DROP SCHEMA scheduling CASCADE (or delete .clinigraph/pgdata) and migrate again. Real data: encrypt it into the *_enc columns first (see this migration''s comment).';
  END IF;
END
$$;

-- AlterTable
ALTER TABLE "scheduling"."appointment_changes" DROP COLUMN "reason",
ADD COLUMN     "reason_enc" TEXT;

-- AlterTable
ALTER TABLE "scheduling"."appointments" DROP COLUMN "feedback_comment",
DROP COLUMN "reason",
ADD COLUMN     "feedback_comment_enc" TEXT,
ADD COLUMN     "reason_enc" TEXT;

-- Free text no longer travels the event bus (consumers read the appointment through the API): remove the
-- copies older outbox rows may hold (with no clear reason left in the tables above, this is only the
-- waitlist's "waitlist" marker).
UPDATE "scheduling"."outbox" SET "payload" = "payload" - 'reason' WHERE "payload" ? 'reason';
