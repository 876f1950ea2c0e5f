#!/usr/bin/env bash
# Type-check each layer with its own lib settings: pure layers (core, compare, protocol) see neither DOM nor Node.
set -euo pipefail
cd "$(dirname "$0")/.."
for p in src/core src/compare src/protocol src webview test; do
  echo "tsc -p $p"
  npx tsc -p "$p"
done
