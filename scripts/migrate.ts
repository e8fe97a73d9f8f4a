/**
 * pnpm migrate                 apply committed migrations of every subgraph to DATABASE_URL
 * pnpm migrate --wait [<sub>…] wait until they are applied (what a deployment's init containers run; see
 *                              packages/platform/src/cli/migrate.ts, which the production image runs compiled)
 * pnpm migrate:create <sub> <name>
 *                              write prisma/<sub>/migrations/<stamp>_<name>/migration.sql from the
 *                              difference between the committed migrations and prisma/<sub>/schema.prisma
 * Works offline (WebAssembly schema engine, see packages/platform/src/migrate.ts).
 */
import { DATABASE_SUBGRAPHS, migrateTarget, type DatabaseSubgraph } from "@clinigraph/platform";
import { createMigration } from "@clinigraph/platform/migrate";
import { migrateCli } from "@clinigraph/platform/migrate-cli";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/clinigraph)");
  process.exit(1);
}
const [command, subgraph, name] = process.argv.slice(2);
if (command === "create") {
  if (!subgraph || !(DATABASE_SUBGRAPHS as readonly string[]).includes(subgraph) || !name) {
    console.error(`usage: pnpm migrate:create <${DATABASE_SUBGRAPHS.join("|")}> <name>`);
    process.exit(1);
  }
  const dir = await createMigration(url, migrateTarget(subgraph as DatabaseSubgraph), name);
  console.log(dir ? `wrote ${dir}` : "schema.prisma matches the migrations: nothing to write");
} else {
  process.exitCode = await migrateCli(process.argv.slice(2), process.env);
}
