#!/usr/bin/env bash
# On the development machine: gather what the GPU machine (`device` tool) needs to run the TensorRT proof
# (prove.sh) into .trt/devkit, an ignored folder carried by one call: Node (xz), onnxruntime-node's Linux x64
# binaries, the built dist/, the helper built against TensorRT 8.6 headers, the shared models. TensorRT itself
# travels separately (../shared/tools/trt-device/README.md). Nothing here is committed: .trt/ is ignored.
# usage: bash scripts/trt-device/make-kit.sh HELPER_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
HELPER=${1:?usage: make-kit.sh path/to/onnx-inspector-trt8}
K=.trt/devkit
SHARED=${SHARED_DIR:-../shared}
rm -rf "$K" && mkdir -p "$K/models" "$K/dist"
[[ -f .trt/node/node.xz ]] || { mkdir -p .trt/node; xz -T2 -6 -c "$(command -v node)" > .trt/node/node.xz; }
cp .trt/node/node.xz "$K/"
tar cf - -C node_modules onnxruntime-node/package.json onnxruntime-node/dist onnxruntime-node/lib \
  onnxruntime-node/bin/napi-v6/linux/x64 onnxruntime-common | xz -T2 -6 > "$K/ort.tar.xz"
cp dist/*.js "$K/dist/"
cp "$HELPER" "$K/onnx-inspector-trt8"
for m in squeezenet1_1 mobilenet_v3_small swin_tiny resnet18_dynamo; do cp "$SHARED/models/$m.onnx" "$K/models/"; done
cp "$SHARED/tools/fill-external-data.py" "$K/"
du -sh "$K"; du -sh "$K"/*
