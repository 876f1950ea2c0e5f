#!/usr/bin/env bash
# Builds the TensorRT helper (helper/, see helper/README.md) in one command:
#   bash scripts/build-helper.sh
# 1. Always: the TensorRT-free core, helper-io-tool and the unit tests in helper/build, then ctest.
# 2. For each folder in TENSORRT_INCLUDE_DIR (colon-separated TensorRT include folders, e.g.
#    TENSORRT_INCLUDE_DIR=$PWD/.trt/headers/trt8/include:$PWD/.trt/headers/trt10/include): reads the major version
#    from NvInferVersion.h, builds helper/build-trtN and copies onnx-inspector-trtN to bin/linux-x64/.
#    Only TensorRT's headers are needed: the libraries are dlopen'ed when the helper runs.
# Env: HELPER_JOBS (default 2) parallel compile jobs; HELPER_BUILD_TYPE (default Release).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${HELPER_JOBS:-2}
BUILD_TYPE=${HELPER_BUILD_TYPE:-Release}
log() { printf '[build-helper] %s\n' "$*"; }

for tool in cmake c++; do
  command -v "$tool" >/dev/null || { log "$tool is missing: install cmake g++ libgtest-dev (bash scripts/setup.sh as root)" >&2; exit 1; }
done

log "core + tests -> helper/build"
cmake -S helper -B helper/build -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
cmake --build helper/build -j "$JOBS"
[[ -x helper/build/helper_core_tests ]] || { log "helper_core_tests was not built (GoogleTest missing? apt-get install libgtest-dev)" >&2; exit 1; }
(cd helper/build && ctest --output-on-failure -j "$JOBS")

if [[ -z ${TENSORRT_INCLUDE_DIR:-} ]]; then
  log "TensorRT helpers skipped: TENSORRT_INCLUDE_DIR is not set (colon-separated TensorRT include folders); built and tested the TensorRT-free core only"
  exit 0
fi

# NV_TENSORRT_MAJOR is a number (8.x) or names another macro (TRT_MAJOR_ENTERPRISE in 10.x and later).
major_of() {
  local header=$1/NvInferVersion.h value
  value=$(awk '$1 == "#define" && $2 == "NV_TENSORRT_MAJOR" { print $3; exit }' "$header")
  if [[ -n $value && ! $value =~ ^[0-9]+$ ]]; then
    value=$(awk -v name="$value" '$1 == "#define" && $2 == name { print $3; exit }' "$header")
  fi
  [[ $value =~ ^[0-9]+$ ]] && echo "$value"
}

mkdir -p bin/linux-x64
IFS=: read -ra include_dirs <<<"$TENSORRT_INCLUDE_DIR"
for inc in "${include_dirs[@]}"; do
  [[ -n $inc ]] || continue
  [[ -d $inc ]] || { log "TENSORRT_INCLUDE_DIR entry '$inc' is not a folder" >&2; exit 1; }
  inc=$(cd "$inc" && pwd)
  [[ -f $inc/NvInferVersion.h ]] || { log "$inc has no NvInferVersion.h: not a TensorRT include folder" >&2; exit 1; }
  major=$(major_of "$inc") || { log "$inc/NvInferVersion.h: cannot read NV_TENSORRT_MAJOR" >&2; exit 1; }
  build=helper/build-trt$major
  log "TensorRT $major ($inc) -> $build"
  cmake -S helper -B "$build" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DHELPER_BUILD_TESTS=OFF -DTENSORRT_INCLUDE_DIR="$inc" >/dev/null
  cmake --build "$build" -j "$JOBS"
  binary=$build/onnx-inspector-trt$major
  [[ -x $binary ]] || { log "$build did not produce onnx-inspector-trt$major (is helper/cmake/trt.cmake present?)" >&2; exit 1; }
  cp "$binary" "bin/linux-x64/onnx-inspector-trt$major"
  log "bin/linux-x64/onnx-inspector-trt$major"
done
