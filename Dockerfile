# Two images: `base` (the last stage, what a plain `build: .` gives) for every Clinigraph Node service, where
# docker-compose.yml picks the entry point per service; and `web` (`target: web`), the web app's static build
# behind nginx. The stages in between are only built for the image that needs them.
FROM node:24-bookworm-slim AS builder
WORKDIR /app
RUN npm install -g pnpm@10
COPY . .
# The router runs from JavaScript (`pnpm build:router`: router/dist and packages/platform/dist), the subgraphs under tsx.
RUN pnpm install --frozen-lockfile && pnpm generate && pnpm build:router

# The web app's production build (apps/web/dist), from its committed typed operations (`pnpm test` checks they match
# the supergraph). Only the app: the router serves no GraphiQL in production.
FROM builder AS web-build
RUN pnpm --filter @clinigraph/web exec vite build

# The web app: static files behind nginx (apps/web/nginx/default.conf.template). At start the entrypoint script
# writes /config.js from CLINIGRAPH_GRAPHQL_URL, then nginx's image renders the template into conf.d.
FROM nginx:1.27-alpine AS web
COPY apps/web/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --chmod=755 apps/web/nginx/clinigraph-config.envsh /docker-entrypoint.d/05-clinigraph-config.envsh
COPY --from=web-build /app/apps/web/dist /usr/share/nginx/html

FROM builder AS base
ENV NODE_ENV=production
USER node
