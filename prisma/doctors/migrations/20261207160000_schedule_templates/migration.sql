-- Schedule templates (named weekly windows with breaks, applied by administrators to doctors from a day on),
-- effective-dated schedule versions (the weekly rules a doctor follows from a local day on) and extra hours (bookable
-- time outside the weekly rules). Rules are kept as JSON arrays of {dayOfWeek, startMinute, endMinute, slotMinutes},
-- validated by the domain before they are written.

CREATE TABLE "doctors"."schedule_templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "breaks" JSONB NOT NULL DEFAULT '[]',
    "slot_minutes" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "schedule_templates_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "schedule_templates_rules_array" CHECK (jsonb_typeof("rules") = 'array'),
    CONSTRAINT "schedule_templates_breaks_array" CHECK (jsonb_typeof("breaks") = 'array'),
    CONSTRAINT "schedule_templates_slot_minutes" CHECK ("slot_minutes" IS NULL OR "slot_minutes" BETWEEN 5 AND 480)
);

-- Names are unique whatever their case ("Tuesdays" and "tuesdays" are one template).
CREATE UNIQUE INDEX "schedule_templates_name_key" ON "doctors"."schedule_templates" (lower("name"));

CREATE TABLE "doctors"."schedule_versions" (
    "doctor_id" UUID NOT NULL,
    "effective_from" DATE NOT NULL,
    "rules" JSONB NOT NULL,
    "template_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "schedule_versions_pkey" PRIMARY KEY ("doctor_id", "effective_from"),
    CONSTRAINT "schedule_versions_rules_array" CHECK (jsonb_typeof("rules") = 'array'),
    CONSTRAINT "schedule_versions_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"."doctors"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "doctors"."extra_hours" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "slot_minutes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "extra_hours_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "extra_hours_range" CHECK ("ends_at" > "starts_at"),
    CONSTRAINT "extra_hours_slot_minutes" CHECK ("slot_minutes" BETWEEN 5 AND 480),
    CONSTRAINT "extra_hours_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"."doctors"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "extra_hours_doctor_id_ends_at_idx" ON "doctors"."extra_hours" ("doctor_id", "ends_at");
