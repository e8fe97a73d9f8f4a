/**
 * pnpm's manifest hook (https://pnpm.io/pnpmfile). @prisma/client declares the Prisma CLI and TypeScript as optional
 * peers (for `prisma generate`), so pnpm links the workspace's copies to it, and a production install of a subgraph
 * (`pnpm image:files`, the container images) would carry both dev tools and their dependencies (well over 100 MB). The
 * subgraphs only run the client the CLI generated (`pnpm generate`, from the root's devDependencies): the peers go.
 */
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === "@prisma/client") {
        for (const peer of ["prisma", "typescript"]) {
          delete pkg.peerDependencies?.[peer];
          delete pkg.peerDependenciesMeta?.[peer];
        }
      }
      return pkg;
    },
  },
};
