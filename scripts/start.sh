#!/usr/bin/env bash
# Try the extension in a real VS Code: code-server on 127.0.0.1:${PORT:-8080} with the extension
# loaded unpacked from this checkout and a sample workspace holding squeezenet1_1.onnx.
# Stays in the foreground; Ctrl+C stops it. Env: PORT, HOST (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${PORT:-8080}
HOST=${HOST:-127.0.0.1}

bash scripts/setup.sh   # also builds dist/ when scripts/build.mjs exists
[[ -f dist/extension.js ]] || { echo "[start] dist/extension.js missing after setup: the build did not produce it" >&2; exit 1; }

# Sample workspace: the shared model, else a tiny model from the test fixtures.
SAMPLE=$ROOT/.tmp/sample
mkdir -p "$SAMPLE"
model=""
for shared in "$ROOT/../shared" /work/shared; do
  if [[ -f $shared/models/squeezenet1_1.onnx ]]; then
    cp -u "$shared/models/squeezenet1_1.onnx" "$SAMPLE/"
    model=$SAMPLE/squeezenet1_1.onnx
    break
  fi
done
if [[ -z $model && -f test/fixtures/builders.ts ]]; then
  if node --import tsx -e '
      const { makeSmallModel } = require("./test/fixtures/builders.ts");
      require("fs").writeFileSync(process.argv[1], makeSmallModel());' "$SAMPLE/small.onnx" 2>/dev/null; then
    model=$SAMPLE/small.onnx
  fi
fi
[[ -n $model ]] || echo "[start] no sample model (../shared/models/squeezenet1_1.onnx absent, fixture failed): opening an empty workspace"

# Server state lives in .tmp/start; the extension is linked, so a rebuild + window reload picks it up.
STATE=$ROOT/.tmp/start
ext_name=$(node -p "const p=require('./package.json'); p.publisher + '.' + p.name + '-' + p.version")
mkdir -p "$STATE/exts" "$STATE/udd/User" "$STATE/xdg"
ln -sfn "$ROOT" "$STATE/exts/$ext_name"
[[ -f $STATE/udd/User/settings.json ]] || echo '{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "git.openRepositoryInParentFolders": "never" }' > "$STATE/udd/User/settings.json"
export XDG_CONFIG_HOME=$STATE/xdg XDG_DATA_HOME=$STATE/xdg
CS=$ROOT/.e2e/server/node_modules/.bin/code-server

url="http://$HOST:$PORT/?folder=$SAMPLE"
echo
echo "[start] open in a browser:  $url"
[[ -n $model ]] && echo "[start] $(basename "$model") opens by itself once a browser window is connected"
echo

if [[ -n $model ]]; then
  # Open the model in the first window that connects: `code-server -r` talks to the running server's
  # IPC socket and fails until a workbench is attached. Give up after 30 minutes.
  (
    for _ in $(seq 900); do
      sleep 2
      if "$CS" --user-data-dir "$STATE/udd" -r "$model" >/dev/null 2>&1; then exit 0; fi
    done
  ) &
  opener=$!
  trap 'kill "$opener" 2>/dev/null || true' EXIT
fi

# Foreground; not exec, so the EXIT trap above can stop the opener.
"$CS" --auth none --bind-addr "$HOST:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$STATE/udd" --extensions-dir "$STATE/exts"
