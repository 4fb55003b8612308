# One image for every service of the federation; the compose file picks the entry point.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json federation.json federation.compose.json ./
COPY lib ./lib
COPY schema ./schema
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
