#!/usr/bin/env bash
# Packs what `npm run bench -- --device cuda` needs on an NVIDIA host that has no npm registry
# (CUDA 13 runtime, cuBLAS, cuRAND and cuDNN 9 libraries present, e.g. NVIDIA's pip wheels):
# this Node binary, the node_modules packages the bench and the inference service load (found by
# running a one-photo CPU bench with a module tracer), onnxruntime-node 1.29.0 with the CUDA
# provider of com.github.asus4.onnxruntime.linux-x64-gpu 0.4.9 (built for ONNX Runtime 1.29 /
# CUDA 13: see apps/inference/README.md, GPU), the medium model and the speed photos.
# Run after `npm ci`, where the npm registry is reachable. Writes OUT_DIR/bundle.tar.xz.partNN
# (PART_MB each, for hosts reached by copying files of a limited size); run-bench.sh unpacks them.
#   usage: apps/inference/bench/gpu/pack-bundle.sh OUT_DIR [PART_MB]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../../../.." && pwd)
OUT=$(mkdir -p "${1:?usage: pack-bundle.sh OUT_DIR [PART_MB]}" && cd "$1" && pwd)
PART_MB=${2:-60}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/trace" "$WORK/stage/node_modules/onnxruntime-node" "$WORK/stage/node_modules/onnxruntime-common" \
  "$WORK/stage/models/cache" "$WORK/stage/.gpu-bundle/bin"
cd "$REPO"
[ -f models/cache/medium.onnx ] || node models/assemble.js

echo "tracing the modules of a one-photo bench…"
PHOTOS=../shared/eval/speed
if [ ! -d "$PHOTOS" ]; then
  PHOTOS="$WORK/photos" && mkdir -p "$PHOTOS"
  node -e "require('sharp')({ create: { width: 1600, height: 1200, channels: 3, background: '#7a8' } }).jpeg().toFile('$PHOTOS/flat.jpg')"
fi
MODULE_TRACE_DIR="$WORK/trace" NODE_OPTIONS="-r @swc-node/register -r $REPO/apps/inference/bench/gpu/module-trace.ts" \
  node --expose-gc -r @swc-node/register apps/inference/bench/bench.ts --no-peer --runs 1 --rounds 1 --concurrency 1 --limit 1 \
  --images "$PHOTOS" >"$WORK/trace.log" 2>&1 || { cat "$WORK/trace.log" >&2; exit 1; }
# Top-level packages only (a nested node_modules travels inside its parent); onnxruntime comes in 1.29.0 below.
cat "$WORK"/trace/*.txt | grep "^$REPO/node_modules/" | sed -E "s#^$REPO/node_modules/((@[^/]+/)?[^/]+)/.*#\1#" |
  grep -v '^onnxruntime-' | sort -u >"$WORK/packages.txt"
[ -s "$WORK/packages.txt" ] || { echo "the module trace found nothing" >&2; exit 1; }
(cd node_modules && tar cf - $(cat "$WORK/packages.txt") @cutout) | tar xf - -C "$WORK/stage/node_modules"

echo "fetching onnxruntime-node 1.29.0 and its CUDA provider…"
(cd "$WORK" && npm pack --silent onnxruntime-node@1.29.0 onnxruntime-common@1.29.0 com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 >/dev/null)
ORT="$WORK/stage/node_modules/onnxruntime-node"
tar xzf "$WORK/onnxruntime-node-1.29.0.tgz" -C "$ORT" --strip-components=1 package/package.json package/dist package/lib package/bin/napi-v6/linux/x64
tar xzf "$WORK/onnxruntime-common-1.29.0.tgz" -C "$WORK/stage/node_modules/onnxruntime-common" --strip-components=1
tar xzf "$WORK/com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz" -C "$ORT/bin/napi-v6/linux/x64" --strip-components=4 \
  package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so package/Plugins/Linux/x64/libonnxruntime_providers_shared.so

cp models/cache/medium.onnx "$WORK/stage/models/cache/"
cp "$(command -v node)" "$WORK/stage/.gpu-bundle/bin/node"
cp -r "$PHOTOS" "$WORK/stage/.gpu-bundle/speed"

echo "compressing (a few minutes)…"
rm -f "$OUT"/bundle.tar.xz.part*
tar cf - -C "$WORK/stage" . | xz -T0 -6 | split -b "${PART_MB}M" -d -a 2 - "$OUT/bundle.tar.xz.part"
ls -l "$OUT"/bundle.tar.xz.part*
