#!/usr/bin/env bash
# Idempotent setup for a fresh Debian 12 machine (run as root) or a warm one.
# Each step leaves a stamp in .e2e/stamps so reruns take seconds.
#   1. apt: chromium (e2e browser), libkrb5-dev (code-server's kerberos addon builds from source),
#      ripgrep (seeds @vscode/ripgrep's download cache), python3-onnx + libonnx-testdata (oracles, corpus),
#      cmake g++ make libgtest-dev zlib1g-dev (the TensorRT helper's core, scripts/build-helper.sh)
#   2. npm ci (npm install without a lockfile), with ONNXRUNTIME_NODE_INSTALL=skip
#   3. Python oracles: onnx onnxruntime polygraphy numpy (and onnx-graphsurgeon, which `polygraphy debug reduce` needs)
#   4. code-server 4.100.3 in its own prefix .e2e/server (never in the project's node_modules)
#   5. npm run build, when scripts/build.mjs exists
# Env: SETUP_SKIP_BUILD=1 skips step 5; SETUP_SKIP_PYTHON=1 skips step 3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep version that code-server 4.100.3 pulls in; its cache dir name is tied to it.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET_VERSION=v13.0.0-10

STAMPS=$ROOT/.e2e/stamps
mkdir -p "$STAMPS" "$ROOT/.tmp"
export ONNXRUNTIME_NODE_INSTALL=skip   # its postinstall fetches CUDA files from NuGet and fails offline
export npm_config_nodedir=${npm_config_nodedir:-/usr}   # native addons build against Debian's node headers
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# Never fail silently: name the step that broke.
trap 'echo "[setup] FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
t0=$(date +%s)

# ---- 1. apt packages -------------------------------------------------------------------------------
APT_PKGS=(chromium libkrb5-dev ripgrep python3-onnx libonnx-testdata unzip)   # unzip: the vsix test lists archives
# The TensorRT helper's core and tests (scripts/build-helper.sh); zlib reads numpy.savez_compressed inputs.
APT_PKGS+=(cmake g++ make libgtest-dev zlib1g-dev)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "[setup] missing Debian packages: ${missing[*]} (run as root, or install them first)" >&2
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. project dependencies -----------------------------------------------------------------------
# The stamp holds a hash of the manifests so a changed package.json or lockfile reinstalls.
manifests=(package.json); [[ -f package-lock.json ]] && manifests+=(package-lock.json)
deps_hash=$(cat "${manifests[@]}" | sha256sum | cut -d' ' -f1)
if [[ ! -d node_modules || "$(cat "$STAMPS/npm-deps" 2>/dev/null)" != "$deps_hash" ]]; then
  if [[ -d node_modules ]] && npm ls --depth=0 >/dev/null 2>&1; then
    # Already satisfied (e.g. installed by hand): don't wipe a working node_modules.
    log "node_modules already matches package.json"
  elif [[ -f package-lock.json ]]; then
    log "npm ci"
    npm ci --no-audit --no-fund
  else
    log "npm install (no lockfile)"
    npm install --no-audit --no-fund
  fi
  echo "$deps_hash" > "$STAMPS/npm-deps"
fi

# ---- 3. Python oracles -----------------------------------------------------------------------------
if [[ -z "${SETUP_SKIP_PYTHON:-}" ]] && ! python3 -c 'import onnx, onnxruntime, polygraphy, numpy, onnx_graphsurgeon' 2>/dev/null; then
  log "pip install onnx onnxruntime polygraphy numpy onnx-graphsurgeon"
  pip_args=(install -q --disable-pip-version-check onnx onnxruntime polygraphy numpy onnx-graphsurgeon)
  # Debian's system python is "externally managed" (PEP 668); a pyenv/venv python is not.
  python3 -m pip "${pip_args[@]}" 2>/dev/null || python3 -m pip "${pip_args[@]}" --break-system-packages
  python3 -c 'import onnx, onnxruntime, polygraphy, numpy, onnx_graphsurgeon'
fi

# ---- 4. code-server in .e2e/server -----------------------------------------------------------------
SERVER=$ROOT/.e2e/server
if [[ "$(cat "$STAMPS/code-server" 2>/dev/null)" != "$CODE_SERVER_VERSION" || ! -x $SERVER/node_modules/.bin/code-server ]]; then
  log "installing code-server $CODE_SERVER_VERSION into .e2e/server (about 2 minutes)"
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) echo "[setup] unsupported arch $(uname -m) for code-server e2e" >&2; exit 1 ;;
  esac
  # @vscode/ripgrep downloads rg from GitHub (unreachable); it first looks in
  # $TMPDIR/vscode-ripgrep-cache-<version>/, so seed that with Debian's rg.
  export TMPDIR=$ROOT/.tmp
  rg_cache=$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION
  mkdir -p "$rg_cache" "$TMPDIR/rgt"
  cp /usr/bin/rg "$TMPDIR/rgt/rg"
  tar czf "$rg_cache/ripgrep-$RIPGREP_ASSET_VERSION-$rg_target.tar.gz" -C "$TMPDIR/rgt" rg
  mkdir -p "$SERVER"
  # Own package.json so the install never touches the project's manifest or lockfile.
  cat > "$SERVER/package.json" <<EOF
{ "name": "onnx-inspector-e2e-server", "private": true, "version": "0.0.0",
  "description": "code-server for the e2e tests; installed by scripts/setup.sh" }
EOF
  # code-server's own postinstall runs nested npm installs (node-pty, kerberos, ripgrep need their
  # install scripts). Env config reaches those nested npm processes; a package.json allowScripts
  # would not. Older npm ignores the unknown setting.
  (
    cd "$SERVER"
    export npm_config_unsafe_perm=true      # code-server refuses root installs without it
    export npm_config_yes=true              # node-pty's postinstall runs `npx node-gyp`; ~/.npmrc may say yes=false
    export npm_config_dangerously_allow_all_scripts=true
    export npm_config_ignore_scripts=false
    export npm_config_strict_allow_scripts=false
    npm install --no-audit --no-fund --no-package-lock "code-server@$CODE_SERVER_VERSION"
  )
  # Verify the parts that silently go missing when install scripts are skipped.
  vs=$SERVER/node_modules/code-server/lib/vscode
  for f in "$vs/node_modules/@vscode/ripgrep/bin/rg" "$vs/node_modules/node-pty/build/Release/pty.node" \
           "$vs/node_modules/kerberos/build/Release/kerberos.node"; do
    [[ -e $f ]] || { echo "[setup] code-server install incomplete: $f missing (install scripts did not run?)" >&2; exit 1; }
  done
  # XDG inside .tmp: code-server writes a default config (with a password) on first run.
  XDG_CONFIG_HOME=$ROOT/.tmp/xdg XDG_DATA_HOME=$ROOT/.tmp/xdg "$SERVER/node_modules/.bin/code-server" --version | head -1
  echo "$CODE_SERVER_VERSION" > "$STAMPS/code-server"
fi

# ---- 5. build --------------------------------------------------------------------------------------
if [[ -z "${SETUP_SKIP_BUILD:-}" && -f scripts/build.mjs ]]; then
  log "npm run build"
  npm run build --silent
fi

log "done in $(( $(date +%s) - t0 )) s"
