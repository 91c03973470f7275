#!/usr/bin/env bash
# On the GPU host, in a checkout of the same commit: unpacks pack-bundle.sh's parts into the
# checkout (node_modules, models/cache, .gpu-bundle), checks that the CUDA provider loads, then
# runs the bench on CUDA. CUDA_LIBS: the folders of the CUDA 13 and cuDNN 9 libraries, ':'-separated
# (default: every nvidia/*/lib of python3's site-packages, where NVIDIA's pip wheels put them).
#   usage: apps/inference/bench/gpu/run-bench.sh PARTS_DIR [bench options, e.g. --runs 3 --mode high]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../../../.." && pwd)
PARTS=${1:?usage: run-bench.sh PARTS_DIR [bench options]}
shift
cat "$PARTS"/bundle.tar.xz.part* | xz -dc | tar xf - -C "$REPO"
export PATH="$REPO/.gpu-bundle/bin:$PATH"
if [ -z "${CUDA_LIBS:-}" ]; then
  SITE=$(python3 -c 'import site; print(site.getsitepackages()[0])' 2>/dev/null || true)
  CUDA_LIBS=$( (find "$SITE/nvidia" -maxdepth 3 -type d -name lib 2>/dev/null || true) | tr '\n' ':')
fi
export LD_LIBRARY_PATH="${CUDA_LIBS}${LD_LIBRARY_PATH:-}"
cd "$REPO"
node -e "require('onnxruntime-node').InferenceSession.create('models/cache/medium.onnx', { executionProviders: ['cuda'] })
  .then(() => console.log('CUDA provider: loaded'), (e) => { console.error('CUDA provider: ' + e.message); process.exit(3); })"
exec node --expose-gc -r @swc-node/register apps/inference/bench/bench.ts --device cuda --no-peer --images .gpu-bundle/speed "$@"
