# One image for every Clinigraph service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim AS base
WORKDIR /app
RUN npm install -g pnpm@10
COPY . .
RUN pnpm install --frozen-lockfile && pnpm generate
ENV NODE_ENV=production
USER node
