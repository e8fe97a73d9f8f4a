/**
 * The migrate command of the deployment (src/cli/migrate.ts): `--wait` applies nothing and succeeds only once the
 * database holds every committed migration of the subgraphs named — what keeps a new release's pods from starting
 * before its migration Job has run.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { migrateTarget } from "@clinigraph/platform";
import { applyMigrations, pendingMigrations } from "@clinigraph/platform/migrate";
import { migrateCli } from "@clinigraph/platform/migrate-cli";
import { createTestDatabase, queryDatabase, type TestDatabase } from "@clinigraph/testing";

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

function run(argv: string[], env: Record<string, string | undefined>, intervalMs = 20) {
  const lines: string[] = [];
  return { lines, code: migrateCli(argv, env, { log: (line) => lines.push(line), intervalMs }) };
}

describe("migrate --wait", () => {
  it("lists what a subgraph has not applied yet, oldest first, and nothing once applied", async () => {
    db = await createTestDatabase(["doctors"]);
    expect(await pendingMigrations(db.url, migrateTarget("doctors"))).toEqual([]);
    const pending = await pendingMigrations(db.url, migrateTarget("accounts"));
    expect(pending.length).toBeGreaterThan(1);
    expect(pending[0]).toMatch(/^\d{14}_init$/);
    expect([...pending].sort()).toEqual(pending);
  });

  it("succeeds at once when the subgraphs' migrations are in, and gives up after its timeout when they are not", async () => {
    db = await createTestDatabase(["doctors"]);
    const ready = run(["--wait", "doctors", "--timeout", "0"], { DATABASE_URL: db.url });
    expect(await ready.code).toBe(0);
    expect(ready.lines).toEqual(["migrations in place: doctors"]);

    const missing = run(["--wait", "doctors", "accounts", "--timeout", "0"], { DATABASE_URL: db.url });
    expect(await missing.code).toBe(1);
    expect(missing.lines[0]).toMatch(/^waiting for migrations: accounts\/\d{14}_init, /);
    expect(missing.lines.at(-1)).toMatch(/gave up after 0 s/);
  });

  it("waits until the migrations arrive, applying none itself", async () => {
    db = await createTestDatabase([]);
    const waiting = run(["--wait", "accounts", "--timeout", "60"], { DATABASE_URL: db.url });
    // The waiter has asked once and applied nothing: the accounts schema has no migrations table of its own making.
    while (waiting.lines.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(waiting.lines[0]).toMatch(/^waiting for migrations: accounts\//);
    expect(await queryDatabase(db.url, "SELECT to_regclass('accounts._prisma_migrations') AS t")).toEqual([{ t: null }]);
    await applyMigrations(db.url, migrateTarget("accounts"));
    expect(await waiting.code).toBe(0);
    expect(waiting.lines.at(-1)).toBe("migrations in place: accounts");
  });

  it("refuses unknown arguments and a missing DATABASE_URL", async () => {
    expect(await run(["--wait", "pharmacy"], { DATABASE_URL: "postgresql://127.0.0.1/none" }).code).toBe(2);
    expect(await run(["--wait", "--timeout", "soon"], { DATABASE_URL: "postgresql://127.0.0.1/none" }).code).toBe(2);
    expect(await run(["apply"], { DATABASE_URL: "postgresql://127.0.0.1/none" }).code).toBe(2);
    const unset = run([], {});
    expect(await unset.code).toBe(2);
    expect(unset.lines).toEqual(["DATABASE_URL is not set"]);
  });
});
