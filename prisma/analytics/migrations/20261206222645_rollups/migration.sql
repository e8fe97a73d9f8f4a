-- CreateTable
CREATE TABLE "analytics"."kpi_rollups" (
    "granularity" TEXT NOT NULL,
    "period" DATE NOT NULL,
    "specialty_code" TEXT NOT NULL DEFAULT '',
    "doctor_id" TEXT NOT NULL DEFAULT '',
    "service_id" TEXT NOT NULL DEFAULT '',
    "location" TEXT NOT NULL DEFAULT '',
    "counts" JSONB NOT NULL,

    CONSTRAINT "kpi_rollups_pkey" PRIMARY KEY ("granularity","period","specialty_code","doctor_id","service_id","location")
);

-- CreateTable
CREATE TABLE "analytics"."rollup_periods" (
    "granularity" TEXT NOT NULL,
    "period" DATE NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rollup_periods_pkey" PRIMARY KEY ("granularity","period")
);

-- CreateTable
CREATE TABLE "analytics"."fact_changes" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "fact_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fact_changes_day_idx" ON "analytics"."fact_changes"("day");

-- CreateIndex
CREATE INDEX "invoice_facts_appointment_key_idx" ON "analytics"."invoice_facts"("appointment_key");

-- CreateIndex
CREATE INDEX "visit_facts_appointment_key_idx" ON "analytics"."visit_facts"("appointment_key");

-- Every write to a fact table records the visit days whose figures it may have changed, in the same transaction
-- (statement-level triggers: one row per day per statement, however many rows the statement wrote).

-- Facts counted on their own day.
CREATE FUNCTION "analytics"."mark_fact_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "analytics"."fact_changes" ("day") SELECT DISTINCT "visit_date" FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "analytics"."fact_changes" ("day") SELECT "visit_date" FROM new_rows UNION SELECT "visit_date" FROM old_rows;
  ELSE
    INSERT INTO "analytics"."fact_changes" ("day") SELECT DISTINCT "visit_date" FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

-- An appointment's day, and, when it moved to another service, the days of its visit and invoices (they are
-- filtered by their appointment's service).
CREATE FUNCTION "analytics"."mark_appointment_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "analytics"."fact_changes" ("day") SELECT DISTINCT "visit_date" FROM new_rows;
  ELSE
    INSERT INTO "analytics"."fact_changes" ("day")
    SELECT "visit_date" FROM new_rows
    UNION SELECT "visit_date" FROM old_rows
    UNION SELECT v."visit_date" FROM new_rows n JOIN old_rows o USING ("appointment_key")
            JOIN "analytics"."visit_facts" v ON v."appointment_key" = n."appointment_key"
           WHERE n."service_id" IS DISTINCT FROM o."service_id"
    UNION SELECT i."visit_date" FROM new_rows n JOIN old_rows o USING ("appointment_key")
            JOIN "analytics"."invoice_facts" i ON i."appointment_key" = n."appointment_key"
           WHERE n."service_id" IS DISTINCT FROM o."service_id";
  END IF;
  RETURN NULL;
END $$;

-- An invoice's day, and its appointment's: a payment made before the invoice arrived counted there.
CREATE FUNCTION "analytics"."mark_invoice_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "analytics"."fact_changes" ("day")
    SELECT "visit_date" FROM new_rows
    UNION SELECT a."visit_date" FROM new_rows n JOIN "analytics"."appointment_facts" a ON a."appointment_key" = n."appointment_key";
  ELSE
    INSERT INTO "analytics"."fact_changes" ("day") SELECT "visit_date" FROM new_rows UNION SELECT "visit_date" FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

-- A payment counts on the day of the visit it paid for: its invoice's, else its appointment's.
CREATE FUNCTION "analytics"."mark_payment_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "analytics"."fact_changes" ("day")
  SELECT DISTINCT COALESCE(i."visit_date", a."visit_date")
    FROM new_rows p
    LEFT JOIN "analytics"."invoice_facts" i ON i."invoice_key" = p."invoice_key"
    LEFT JOIN "analytics"."appointment_facts" a ON a."appointment_key" = COALESCE(p."appointment_key", i."appointment_key")
   WHERE COALESCE(i."visit_date", a."visit_date") IS NOT NULL;
  RETURN NULL;
END $$;

CREATE FUNCTION "analytics"."mark_supply_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "analytics"."fact_changes" ("day") SELECT DISTINCT "day" FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "analytics"."fact_changes" ("day") SELECT "day" FROM new_rows UNION SELECT "day" FROM old_rows;
  ELSE
    INSERT INTO "analytics"."fact_changes" ("day") SELECT DISTINCT "day" FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "appointment_facts_insert" AFTER INSERT ON "analytics"."appointment_facts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_appointment_days"();
CREATE TRIGGER "appointment_facts_update" AFTER UPDATE ON "analytics"."appointment_facts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_appointment_days"();
CREATE TRIGGER "visit_facts_insert" AFTER INSERT ON "analytics"."visit_facts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_fact_days"();
CREATE TRIGGER "visit_facts_update" AFTER UPDATE ON "analytics"."visit_facts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_fact_days"();
CREATE TRIGGER "examination_facts_insert" AFTER INSERT ON "analytics"."examination_facts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_fact_days"();
CREATE TRIGGER "examination_facts_update" AFTER UPDATE ON "analytics"."examination_facts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_fact_days"();
CREATE TRIGGER "invoice_facts_insert" AFTER INSERT ON "analytics"."invoice_facts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_invoice_days"();
CREATE TRIGGER "invoice_facts_update" AFTER UPDATE ON "analytics"."invoice_facts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_invoice_days"();
CREATE TRIGGER "payment_facts_insert" AFTER INSERT ON "analytics"."payment_facts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_payment_days"();
CREATE TRIGGER "supply_facts_insert" AFTER INSERT ON "analytics"."supply_facts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_supply_days"();
CREATE TRIGGER "supply_facts_update" AFTER UPDATE ON "analytics"."supply_facts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_supply_days"();
CREATE TRIGGER "supply_facts_delete" AFTER DELETE ON "analytics"."supply_facts" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics"."mark_supply_days"();

-- Facts written before this migration: their days are rolled up by the job's first run.
INSERT INTO "analytics"."fact_changes" ("day")
SELECT "visit_date" FROM "analytics"."appointment_facts"
UNION SELECT "visit_date" FROM "analytics"."visit_facts"
UNION SELECT "visit_date" FROM "analytics"."examination_facts"
UNION SELECT "visit_date" FROM "analytics"."invoice_facts"
UNION SELECT "day" FROM "analytics"."supply_facts";
