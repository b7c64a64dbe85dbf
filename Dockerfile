# One image for the API and every worker; the command picks the process.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-fund --no-audit
COPY tsconfig.json tsconfig.build.json assets.manifest.json ./
COPY src ./src
COPY workers ./workers
COPY scripts ./scripts
COPY models ./models
# The detector's weights, downloaded and checked against the SHA-256 in assets.manifest.json.
RUN npx tsx scripts/assets.ts --only yolox-nano
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# ffmpeg decodes camera streams and video files; the CJK fonts render Chinese documents and evidence captions.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-noto-cjk ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/models ./models
COPY package.json assets.manifest.json ./
COPY migrations ./migrations
COPY config ./config
COPY public ./public
COPY fixtures/composed ./fixtures/composed
RUN mkdir -p /data /app/fixtures/video && chown -R node /data /app/fixtures/video
USER node
EXPOSE 3000
CMD ["node", "dist/src/server.js"]
