/**
 * Subgraph database targets: each subgraph owns one PostgreSQL schema and one Prisma schema
 * directory (`prisma/<subgraph>/`). The repository root is found from this file's location.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Subgraphs that own a database schema, in migration order. */
export const DATABASE_SUBGRAPHS = [
  "accounts",
  "doctors",
  "scheduling",
  "clinical",
  "notifications",
  "billing",
  "analytics",
  // new:subgraph databases
] as const;
export type DatabaseSubgraph = (typeof DATABASE_SUBGRAPHS)[number];

/** Where a subgraph's migrations are (any name: a subgraph just made by `pnpm new:subgraph` too). */
export const migrateTarget = (subgraph: string) => ({ dir: path.join(REPO_ROOT, "prisma", subgraph), schema: subgraph });
