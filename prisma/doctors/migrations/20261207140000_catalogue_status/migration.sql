-- The catalogue becomes editable by ADMIN: specialties and medical services are ACTIVE or RETIRED. A retired entry is
-- kept (appointments, examinations and invoices refer to it) but cannot be given to a doctor, booked or ordered.
-- retired_at is set exactly while the status is RETIRED.
CREATE TYPE "doctors"."CatalogueStatus" AS ENUM ('ACTIVE', 'RETIRED');

ALTER TABLE "doctors"."specialties"
    ADD COLUMN "status" "doctors"."CatalogueStatus" NOT NULL DEFAULT 'ACTIVE',
    ADD COLUMN "retired_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "specialties_retired_at_check" CHECK (("status" = 'RETIRED') = ("retired_at" IS NOT NULL));

ALTER TABLE "doctors"."medical_services"
    ADD COLUMN "status" "doctors"."CatalogueStatus" NOT NULL DEFAULT 'ACTIVE',
    ADD COLUMN "retired_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "medical_services_retired_at_check" CHECK (("status" = 'RETIRED') = ("retired_at" IS NOT NULL));

CREATE INDEX "specialties_status_name_idx" ON "doctors"."specialties" ("status", "name");
