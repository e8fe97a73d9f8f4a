# Clinigraph's container images, one build target each (docs/adr/0023-kubernetes-images-tls.md):
#   router     docker build --target router .
#   subgraph   docker build --target subgraph --build-arg SUBGRAPH=accounts .   (one image per subgraph)
#   migrate    docker build --target migrate .   every subgraph's committed migrations (the release's Job, and the
#              init containers that wait for it)
#   web        docker build --target web .       the web app's static build behind nginx
# The Node images run compiled JavaScript with plain Node (`pnpm build:services`), as the unprivileged `node` user,
# and hold their own package, the workspace packages it imports and those packages' production dependencies only
# (`pnpm image:files`): TypeScript, tsx, the test tools and the sources stay in the builder. The web image runs nginx
# as an unprivileged user too. Kept correct by review and by tests/compose-file.test.ts (no Docker engine on the
# development machines).

# Everything built once: the workspace installed whole (dev tools included), generated code, every Node service
# compiled to its package's dist/.
FROM node:24-bookworm-slim AS builder
WORKDIR /app
RUN npm install -g pnpm@10
COPY . .
RUN pnpm install --frozen-lockfile && pnpm generate && pnpm build:services

# The web app's production build (apps/web/dist), from its committed typed operations (`pnpm test` checks they match
# the supergraph). Only the app: the router serves no GraphiQL in production.
FROM builder AS web-build
RUN pnpm --filter @clinigraph/web exec vite build

# Each Node image's files under /out, in the repository's layout (platform's REPO_ROOT is /app in the image as here).
FROM builder AS router-files
RUN pnpm image:files @clinigraph/router /out --with schema/supergraph.graphql

FROM builder AS migrate-files
RUN pnpm image:files @clinigraph/platform /out --with prisma

FROM builder AS subgraph-files
ARG SUBGRAPH
RUN test -n "$SUBGRAPH" || { echo "build the subgraph target with --build-arg SUBGRAPH=<name>" >&2; exit 1; }
RUN pnpm image:files "@clinigraph/$SUBGRAPH" /out

# What every Node image starts from: Node, production mode, not root. The files belong to root: the service
# cannot change its own code.
FROM node:24-bookworm-slim AS node-runtime
ENV NODE_ENV=production
WORKDIR /app
USER node

FROM node-runtime AS migrate
COPY --from=migrate-files /out /app
CMD ["node", "--conditions=clinigraph-dist", "packages/platform/dist/cli/migrate.js"]

FROM node-runtime AS router
COPY --from=router-files /out /app
EXPOSE 4000
CMD ["node", "--conditions=clinigraph-dist", "router/dist/main.js"]

FROM node-runtime AS subgraph
ARG SUBGRAPH
COPY --from=subgraph-files /out /app
WORKDIR /app/subgraphs/${SUBGRAPH}
CMD ["node", "--conditions=clinigraph-dist", "dist/main.js"]

# The web app: static files behind nginx (apps/web/nginx/default.conf.template), in nginx's unprivileged image
# (user nginx, uid 101, port 8080). At start the entrypoint script writes /config.js from CLINIGRAPH_GRAPHQL_URL, so
# the files are that user's; then nginx's image renders the template into conf.d.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS web
COPY apps/web/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --chmod=755 apps/web/nginx/clinigraph-config.envsh /docker-entrypoint.d/05-clinigraph-config.envsh
COPY --from=web-build --chown=101:101 /app/apps/web/dist /usr/share/nginx/html
USER root
RUN chown 101:101 /usr/share/nginx/html
USER 101
