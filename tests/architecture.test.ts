/**
 * The shape every subgraph follows (docs/architecture.md), checked on the source: the same folders and entry files,
 * PascalCase resolver files and a resolver map typed by the generated `Resolvers`, layers that import only
 * downwards, Prisma and SQL only in data/ (and the outbox writer), the environment read only in config.ts.
 */
import { describe, expect, it } from "@jest/globals";
import path from "node:path";
import { DATABASE_SUBGRAPHS, REPO_ROOT } from "@clinigraph/platform";
import { checkSubgraphShape } from "../scripts/lib/architecture.js";

describe.each(DATABASE_SUBGRAPHS)("subgraph %s", (name) => {
  const report = checkSubgraphShape(path.join(REPO_ROOT, "subgraphs", name));

  it("has the standard layout", () => expect(report.layout).toEqual([]));
  it("names resolver files after schema types (PascalCase)", () => expect(report.resolverFileNames).toEqual([]));
  it("types its resolver map with the generated Resolvers", () => expect(report.untypedResolverMap).toEqual([]));
  it("imports only downwards", () => expect(report.upwardImports).toEqual([]));
  it("calls Prisma and SQL only in data/ and events/outbox.ts", () => expect(report.prismaOutsideData).toEqual([]));
  it("reads the environment only in config.ts", () => expect(report.envReadsOutsideConfig).toEqual([]));
});
