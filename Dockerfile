# syntax=docker/dockerfile:1
# Crosswalk: build with the full Node image (compilers for native modules such
# as better-sqlite3 when no prebuilt binary fits), run on the slim one.
ARG NODE_VERSION=20

# 1. Compile TypeScript to dist/.
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only, built for the same Debian release as the runtime.
FROM node:${NODE_VERSION}-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# 3. Runtime: dist/, production node_modules, the mapping JSON Schema and the demo mapping.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    CROSSWALK_MAPPING=/etc/crosswalk/mappings/demo-sqlite.yaml \
    CROSSWALK_SQLITE_FILE=/var/lib/crosswalk/crosswalk-demo.sqlite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The loader reads the JSON Schema at ../../schema relative to dist/mapping/.
COPY schema ./schema
# The shipped mappings, the demo's SQL files beside it (paths in a mapping are relative to its file).
# Mount your own directory over /etc/crosswalk/mappings and point CROSSWALK_MAPPING at a file in it.
COPY mappings /etc/crosswalk/mappings
RUN mkdir -p /var/lib/crosswalk && chown node:node /var/lib/crosswalk
USER node
VOLUME ["/etc/crosswalk/mappings", "/var/lib/crosswalk"]
EXPOSE 8080
# No curl in slim images: Node's fetch checks liveness.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
