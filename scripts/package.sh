#!/usr/bin/env bash
# Build one .vsix per platform target: scripts/package.sh [target...]   (default: linux-x64)
# Targets: linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64
#
# Everything but onnxruntime-node is bundled into dist/ by esbuild. onnxruntime-node loads a native
# binding, so it ships as a real node_modules package, but the npm package carries every platform
# (~290 MB): each vsix gets only its own platform's bin/napi-v*/<os>/<arch>/ plus onnxruntime-common.
# Staged in .tmp/pkg-<target>/ and packed with `vsce --target` (its npm dependency detection runs on the stage).
# Env: OUT_DIR (default: repo root) for the .vsix files; PACKAGE_SKIP_BUILD=1 to package dist/ as is
# (default: rebuild it with scripts/build.mjs --production).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT_DIR=$(mkdir -p "${OUT_DIR:-$ROOT}" && cd "${OUT_DIR:-$ROOT}" && pwd)
export ONNXRUNTIME_NODE_INSTALL=skip

die() { echo "[package] error: $*" >&2; exit 1; }
log() { echo "[package] $*"; }

targets=("$@")
((${#targets[@]})) || targets=(linux-x64)

ort_dir() {  # vsce target -> onnxruntime-node's <os>/<arch> folder
  case "$1" in
    linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64|win32-arm64) echo "${1%-*}/${1#*-}" ;;
    *) return 1 ;;
  esac
}
for t in "${targets[@]}"; do
  ort_dir "$t" >/dev/null || die "unknown target '$t' (use: linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64)"
done

ORT=node_modules/onnxruntime-node
ORT_COMMON=node_modules/onnxruntime-common
[[ -f $ORT/package.json && -f $ORT_COMMON/package.json ]] || die "onnxruntime-node not installed: run scripts/setup.sh"
[[ -x node_modules/.bin/vsce ]] || die "@vscode/vsce not installed: run scripts/setup.sh"

if [[ -z "${PACKAGE_SKIP_BUILD:-}" && -f scripts/build.mjs ]]; then
  log "node scripts/build.mjs --production"   # minified, no source maps
  node scripts/build.mjs --production
fi
[[ -f dist/extension.js ]] || die "dist/extension.js missing: build first (npm run build)"

# The vsix carries no node_modules besides ORT: any other bare require left in dist/ would fail at runtime.
node - <<'EOF' || die "dist/ requires packages that are not bundled (mark them bundled in scripts/build.mjs)"
const fs = require('fs'), path = require('path'), { builtinModules } = require('module');
const allowed = new Set(['vscode', 'onnxruntime-node', 'onnxruntime-common', ...builtinModules]);
let bad = [];
for (const f of fs.readdirSync('dist').filter((f) => f.endsWith('.js'))) {
  const src = fs.readFileSync(path.join('dist', f), 'utf8');
  for (const m of src.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const spec = m[1].replace(/^node:/, '');
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (!allowed.has(pkg) && !allowed.has(spec)) bad.push(`${f}: require("${m[1]}")`);
  }
}
if (bad.length) { console.error([...new Set(bad)].join('\n')); process.exit(1); }
EOF

ort_version=$(node -p "require('./$ORT/package.json').version")
for t in "${targets[@]}"; do
  osarch=$(ort_dir "$t")
  shopt -s nullglob
  bins=("$ORT"/bin/napi-v*/"$osarch")
  shopt -u nullglob
  ((${#bins[@]})) || die "onnxruntime-node $ort_version ships no binaries for $t (no $ORT/bin/napi-v*/$osarch); available: $(cd $ORT/bin && echo napi-v*/*/* | tr ' ' ',')"

  stage=$ROOT/.tmp/pkg-$t
  log "staging $t in ${stage#$ROOT/}"
  rm -rf "$stage"
  mkdir -p "$stage/node_modules/onnxruntime-node" "$stage/node_modules/onnxruntime-common"

  # Manifest: runtime deps reduced to onnxruntime-node; no scripts (vsce would run vscode:prepublish in the stage).
  node - "$stage" "$ort_version" <<'EOF'
const fs = require('fs');
const [stage, ortVersion] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
pkg.dependencies = { 'onnxruntime-node': ortVersion };
delete pkg.devDependencies;
delete pkg.scripts;
delete pkg.allowScripts;
fs.writeFileSync(`${stage}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
EOF
  cp -r dist "$stage/dist"
  for d in media syntaxes docs; do [[ -d $d ]] && cp -r "$d" "$stage/$d"; done
  for f in README.md CHANGELOG.md LICENSE LICENSE.md LICENSE.txt; do [[ -f $f ]] && cp "$f" "$stage/"; done

  # onnxruntime-node: manifest, JS entry points, this platform's binaries only (not its install script).
  # Its adm-zip/global-agent dependencies serve only its install script (not shipped): drop them so
  # vsce's `npm list` sees a complete tree.
  node -e '
    const fs = require("fs"); const [src, dst] = process.argv.slice(1);
    const p = JSON.parse(fs.readFileSync(src, "utf8"));
    p.dependencies = { "onnxruntime-common": p.dependencies["onnxruntime-common"] };
    delete p.scripts; delete p.devDependencies;
    fs.writeFileSync(dst, JSON.stringify(p, null, 2) + "\n");' "$ORT/package.json" "$stage/node_modules/onnxruntime-node/package.json"
  for f in LICENSE README.md ThirdPartyNotices.txt; do [[ -f $ORT/$f ]] && cp "$ORT/$f" "$stage/node_modules/onnxruntime-node/"; done
  cp -r "$ORT/dist" "$stage/node_modules/onnxruntime-node/dist"
  for b in "${bins[@]}"; do
    rel=${b#"$ORT"/}
    mkdir -p "$stage/node_modules/onnxruntime-node/$(dirname "$rel")"
    cp -r "$b" "$stage/node_modules/onnxruntime-node/$rel"
  done
  cp "$ORT_COMMON/package.json" "$stage/node_modules/onnxruntime-common/"
  for f in LICENSE README.md; do [[ -f $ORT_COMMON/$f ]] && cp "$ORT_COMMON/$f" "$stage/node_modules/onnxruntime-common/"; done
  cp -r "$ORT_COMMON/dist" "$stage/node_modules/onnxruntime-common/dist"

  # Inside the stage: drop source maps and typings; keep everything else that was staged.
  printf '%s\n' '**/*.map' '**/*.ts' '.vscodeignore' > "$stage/.vscodeignore"

  # Dependency detection (`npm list`, offline) on the stage: --no-dependencies would leave out
  # node_modules altogether, and the stage holds exactly the two packages that must ship.
  vsce_args=(package --dependencies --no-yarn --target "$t" -o "$OUT_DIR/onnx-inspector-$t.vsix"
             --no-rewrite-relative-links)   # offline: no repository URL lookups for README links
  node -e "process.exit(require('$stage/package.json').repository ? 0 : 1)" || vsce_args+=(--allow-missing-repository)
  ls "$stage"/LICENSE* >/dev/null 2>&1 || { log "warning: no LICENSE file; packaging with --skip-license"; vsce_args+=(--skip-license); }
  # stdin from /dev/null: a vsce prompt must fail, not wait forever.
  (cd "$stage" && "$ROOT/node_modules/.bin/vsce" "${vsce_args[@]}" </dev/null)
  log "wrote $OUT_DIR/onnx-inspector-$t.vsix ($(du -h "$OUT_DIR/onnx-inspector-$t.vsix" | cut -f1))"
done
