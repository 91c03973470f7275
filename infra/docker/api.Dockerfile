# The API image: GraphQL/REST (ROLE=api), job workers (ROLE=worker), or both (ROLE=all).
# Build from the repository root:  docker build -f infra/docker/api.Dockerfile -t cutout-api .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY apps/cli/package.json apps/cli/
COPY apps/inference/package.json apps/inference/
COPY libs/ libs/
COPY models/ models/
RUN npm ci --no-audit --no-fund && npm cache clean --force

FROM deps AS web
COPY apps/web apps/web
COPY tsconfig.base.json tsconfig.json ./
RUN npx vite build --config apps/web/vite.config.mts

FROM node:20-bookworm-slim
ENV NODE_ENV=production ROLE=all PORT=3000 HOST=0.0.0.0 WEB_DIST_DIR=/app/dist/apps/web
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=web /app/dist/apps/web dist/apps/web
COPY package.json tsconfig.base.json tsconfig.json ./
COPY libs libs
COPY apps/api apps/api
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "-r", "@swc-node/register", "apps/api/src/main.ts"]
