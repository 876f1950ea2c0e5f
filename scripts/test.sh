#!/usr/bin/env bash
# The project's full test run (README: `npm test`; CI: .ci/run): setup, typecheck, lint, helper, unit, e2e.
# Setup failing stops the run; the other stages all run (one report shows every failure) and any
# failing stage fails the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip

failed=()
stage() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local t0; t0=$(date +%s)
  if "$@"; then
    printf '\033[1m<== %s ok (%d s)\033[0m\n' "$name" "$(( $(date +%s) - t0 ))"
  else
    printf '\033[1;31m<== %s FAILED (%d s): %s\033[0m\n' "$name" "$(( $(date +%s) - t0 ))" "$*" >&2
    failed+=("$name")
  fi
}

stage setup bash scripts/setup.sh
((${#failed[@]} == 0)) || { echo "setup failed: not running the tests" >&2; exit 1; }
stage typecheck bash scripts/typecheck.sh
stage lint npx eslint src webview test
# The TensorRT helper's core + ctest (TensorRT variants only with TENSORRT_INCLUDE_DIR); before unit, whose
# helperIo.test.ts drives helper/build/helper-io-tool.
stage helper bash scripts/build-helper.sh
stage unit npm run test:unit
# The webview in headless Chromium with a fake host (rendering, security, theme).
stage webview npm run test:webview
shopt -s nullglob
e2e=(test/e2e/*.e2e.ts)
if ((${#e2e[@]})); then
  # One VS Code at a time: each test starts its own code-server and Chromium.
  stage e2e node --import tsx --test --test-concurrency=1 --test-reporter=spec "${e2e[@]}"
fi

if ((${#failed[@]})); then
  printf '\n\033[1;31mFAILED stages: %s\033[0m\n' "${failed[*]}" >&2
  exit 1
fi
printf '\n\033[1;32mall tests passed\033[0m\n'
