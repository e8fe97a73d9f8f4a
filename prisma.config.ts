// Used only by `prisma generate` (see scripts/generate.ts); migrations go through scripts/migrate.ts.
import { defineConfig } from "prisma/config";
export default defineConfig({});
