-- Hand-written: what Prisma's schema language cannot say.
-- Double booking is impossible at the database level: no two live appointments (pending holds
-- included) of one doctor may overlap in time. Overbooking (ADMIN, audited) is the only exception.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

ALTER TABLE "scheduling"."appointments"
  ADD CONSTRAINT "appointments_no_double_booking"
  EXCLUDE USING gist ("doctor_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('PENDING', 'BOOKED', 'CHECKED_IN') AND NOT "overbooked");

ALTER TABLE "scheduling"."appointments" ADD CONSTRAINT "appointments_time_order" CHECK ("ends_at" > "starts_at");
ALTER TABLE "scheduling"."appointments" ADD CONSTRAINT "appointments_pending_has_hold" CHECK ("status" <> 'PENDING' OR "hold_expires_at" IS NOT NULL);
ALTER TABLE "scheduling"."appointments" ADD CONSTRAINT "appointments_feedback_rating" CHECK ("feedback_rating" IS NULL OR "feedback_rating" BETWEEN 1 AND 5);
ALTER TABLE "scheduling"."slots" ADD CONSTRAINT "slots_time_order" CHECK ("ends_at" > "starts_at");
ALTER TABLE "scheduling"."waitlist_entries" ADD CONSTRAINT "waitlist_range" CHECK ("to_at" > "from_at");

-- Availability search reads only free slots, by time.
CREATE INDEX "slots_free_by_start" ON "scheduling"."slots" ("starts_at") WHERE "status" = 'FREE';
