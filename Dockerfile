# Context Mesh API. Neo4j runs as its own service (see docker-compose.yml), so no JVM here.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime deps only; the compiled output comes from the build stage.
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The SDL is read at start-up.
COPY schema ./schema
# Generated admin key lives here (mount a volume to keep it).
RUN mkdir -p /data && chown node:node /data
ENV HOST=0.0.0.0 CONTEXT_MESH_DATA_DIR=/data
USER node
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
