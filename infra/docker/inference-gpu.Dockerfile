# The inference service on NVIDIA GPUs. onnxruntime-node's npm package carries only the CPU
# provider; its installer downloads the CUDA provider when ONNXRUNTIME_NODE_INSTALL=cuda12 and
# the build has network access (it is denied by default in package.json "allowScripts", so
# the script is run explicitly here). Runs with INFERENCE_PROVIDER=cuda; falls back to CPU
# with a warning when the provider cannot load.
# docker build -f infra/docker/inference-gpu.Dockerfile -t cutout-inference-gpu .
FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY apps/cli/package.json apps/cli/
COPY apps/inference apps/inference
COPY libs libs
COPY models models
RUN npm ci --no-audit --no-fund \
 && (cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install) \
 && npm run models -- medium small && npm cache clean --force
ENV INFERENCE_HOST=0.0.0.0 INFERENCE_PORT=50051 INFERENCE_PRELOAD=medium INFERENCE_PROVIDER=cuda
EXPOSE 50051
# --initial-old-space-size: INFERENCE_V8_FLAGS; GLIBC_TUNABLES: INFERENCE_MALLOC_TUNABLES (libs/inference-contract/src/inference-process.ts).
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1
CMD ["node", "--initial-old-space-size=128", "-r", "@swc-node/register", "apps/inference/src/main.ts"]
