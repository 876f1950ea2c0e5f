#!/usr/bin/env bash
# Every benchmark, one after another (they measure time: run nothing else meanwhile). Figures go to stdout.
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs >/dev/null
status=0
for b in core shapes layout compare run render reduce serviceWorkerActivation; do
  f=bench/$b.bench.ts
  [ -f "$f" ] || continue
  printf '\n===== %s =====\n' "$f"
  node --import tsx --expose-gc "$f" || status=1
done
for f in bench/*.e2e.bench.ts; do
  [ -f "$f" ] || continue
  printf '\n===== %s =====\n' "$f"
  node --import tsx "$f" || status=1
done
exit $status
