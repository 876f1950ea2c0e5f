#!/usr/bin/env bash
# On the GPU machine, after ../shared/tools/trt-device's unpack.sh: the TensorRT 8.6 proof of issue 10, through the
# product's own CLI. For squeezenet1_1, mobilenet_v3_small and swin_tiny: an onnxruntime run (optimizations off,
# every intermediate), a TensorRT run on the same inputs (every float tensor marked as an output), a cached re-run,
# and our `compare` at 1e-5 and 1e-3; then an Add turned into a Sub (first divergence must be that node), the
# opset-18 resnet18_dynamo (must say opset, and the node), and a Loop model (body tensors skipped and listed).
# Reports (JSON) and a log land in $OUT. usage: bash scripts/trt-device/prove.sh [MODEL...]
set -uo pipefail
cd "$(dirname "$0")/../.."
K=.trt/devkit; W=/root/work; OUT=${OUT:-/tmp/out}
# Reports and engine layer files go into one archive: the device tool brings back at most 8 files.
R=$OUT/reports; mkdir -p "$W" "$R" /root/node/bin
trap 'tar czf "$OUT/reports.tgz" -C "$OUT" reports && rm -rf "$R"' EXIT
[[ -x /root/node/bin/node ]] || { xz -dc $K/node.xz > /root/node/bin/node && chmod +x /root/node/bin/node; }
export PATH=/root/node/bin:$PATH
mkdir -p node_modules dist && tar xJf $K/ort.tar.xz -C node_modules && cp $K/dist/*.js dist/
export LD_LIBRARY_PATH=/root/trt86:/root/trt86/stubs:${LD_LIBRARY_PATH:-}
HELPER=$PWD/$K/onnx-inspector-trt8; chmod +x "$HELPER"
CLI=(node dist/cli.js)
T() { local t0; t0=$(date +%s.%N); "$@"; local rc=$?; echo "[time] $(python3 -c "print(round($(date +%s.%N) - $t0, 2))") s rc=$rc: $*"; return $rc; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
T "$HELPER" --version --json
T "${CLI[@]}" doctor --trt-helper "$HELPER"
for m in squeezenet1_1 mobilenet_v3_small swin_tiny resnet18_dynamo; do
  [[ -f $W/$m.onnx ]] || cp $K/models/$m.onnx $W/
done
# The graph-only models get weights (without them TensorRT fails on the first initializer, whatever else is wrong).
for m in swin_tiny resnet18_dynamo; do [[ $(ls $W | grep -c "^$m") -gt 1 ]] || python3 $K/fill-external-data.py $W/$m.onnx; done
summary() {  # report.json -> compared, passed at its tolerance, worst three, final output's max abs
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const s = r.summary, t = r.tensors.filter((x) => x.metrics);
    const worst = [...t].sort((a, b) => Number(b.metrics.abs.max) - Number(a.metrics.abs.max)).slice(0, 3);
    const last = process.argv[2] ? r.tensors.find((x) => x.name === process.argv[2]) : null;
    console.log(JSON.stringify({ compared: s.compared, passed: s.passed, failed: s.failed, onlyA: s.onlyA, onlyB: s.onlyB, fused: s.fused ?? null,
      worst: worst.map((x) => [x.name, x.metrics.abs.max]), final: last ? last.metrics && last.metrics.abs.max : null,
      first: r.firstDivergence && r.firstDivergence.first ? r.firstDivergence.first.tensor : null }));' "$@"
}
prove_model() {
  local m=$1 M=$W/$1.onnx out
  echo "=== $m"
  out=$(python3 -c "import onnx,sys; print(onnx.load(sys.argv[1], load_external_data=False).graph.output[0].name)" "$M")
  T "${CLI[@]}" run "$M" --opt-level disabled --save-results $W/$m.ort.json --force
  T "${CLI[@]}" run "$M" --backend tensorrt --trt-helper "$HELPER" --trt-capture mark --inputs $W/$m.ort.inputs.json --save-results $W/$m.trt.json --force
  T "${CLI[@]}" run "$M" --backend tensorrt --trt-helper "$HELPER" --trt-capture mark --inputs $W/$m.ort.inputs.json --save-results $W/$m.trt2.json --force
  for tol in 1e-5 1e-3; do
    T "${CLI[@]}" compare $W/$m.trt.json $W/$m.ort.json --model "$M" --atol $tol --rtol $tol --json $R/$m.$tol.report.json --force | head -30
    summary $R/$m.$tol.report.json "$out"
  done
  cp $W/$m.trt.layers.json $R/ 2>/dev/null
}
# swin_tiny_sub.onnx: swin_tiny with the middle Add of two activations made a Sub; prints that node and its output.
swin_add_to_sub() {
  python3 - "$W/swin_tiny.onnx" "$W/swin_tiny_sub.onnx" <<'PY'
import sys, onnx
m = onnx.load(sys.argv[1], load_external_data=False)
inits = {i.name for i in m.graph.initializer}
adds = [n for n in m.graph.node if n.op_type == 'Add' and not any(i in inits for i in n.input)]
n = adds[len(adds) // 2]
n.op_type = 'Sub'
onnx.save(m, sys.argv[2])  # the same external-data file beside it
print(n.name + ' ' + n.output[0])
PY
}
# Most telling first: the device lease may end before the last step.
# `prove.sh reduce`: issue 14's reduce with TensorRT as one side (scripts/trt-device/prove-reduce.sh).
if [[ ${1:-} == reduce ]]; then source scripts/trt-device/prove-reduce.sh; exit 0; fi
if (($#)); then for m in "$@"; do prove_model "$m"; done; exit 0; fi
prove_model squeezenet1_1
prove_model swin_tiny

echo "=== an Add turned into a Sub (swin_tiny): TensorRT on the copy, onnxruntime on the original"
node_name=$(swin_add_to_sub)
echo "changed node and output: $node_name"
T "${CLI[@]}" run $W/swin_tiny_sub.onnx --backend tensorrt --trt-helper "$HELPER" --trt-capture mark --inputs $W/swin_tiny.ort.inputs.json --save-results $W/swin_sub.trt.json --force
T "${CLI[@]}" compare $W/swin_sub.trt.json $W/swin_tiny.ort.json --model $W/swin_tiny.onnx --json $R/swin_sub.report.json --force | head -12
summary $R/swin_sub.report.json

echo "=== resnet18_dynamo (opset 18): must say the opset and the node"
T "${CLI[@]}" run $W/resnet18_dynamo.onnx --backend tensorrt --trt-helper "$HELPER" --save-results $W/r18.trt.json --force

echo "=== a Loop model: body tensors skipped and listed"
python3 - $W/loop.onnx <<'PY'
import sys, onnx
from onnx import helper as h, TensorProto as T
body = h.make_graph(
    [h.make_node('Mul', ['y_in', 'two'], ['m']), h.make_node('Add', ['m', 'x'], ['y_out']), h.make_node('Identity', ['c_in'], ['c_out'])],
    'body', [h.make_tensor_value_info('i', T.INT64, []), h.make_tensor_value_info('c_in', T.BOOL, []), h.make_tensor_value_info('y_in', T.FLOAT, [2, 3])],
    [h.make_tensor_value_info('c_out', T.BOOL, []), h.make_tensor_value_info('y_out', T.FLOAT, [2, 3])],
    [h.make_tensor('two', T.FLOAT, [], [2.0])])
g = h.make_graph(
    [h.make_node('Relu', ['x'], ['r']), h.make_node('Loop', ['n', 'c', 'r'], ['y'], body=body, name='loop'), h.make_node('Sigmoid', ['y'], ['z'])],
    'loopy', [h.make_tensor_value_info('x', T.FLOAT, [2, 3])], [h.make_tensor_value_info('z', T.FLOAT, [2, 3])],
    [h.make_tensor('n', T.INT64, [], [3]), h.make_tensor('c', T.BOOL, [], [True])])
m = h.make_model(g, opset_imports=[h.make_opsetid('', 13)])
m.ir_version = 8  # onnxruntime 1.30 reads IR <= 13; current onnx writes 14
onnx.save(m, sys.argv[1])
PY
T "${CLI[@]}" run $W/loop.onnx --opt-level disabled --save-results $W/loop.ort.json --force
T "${CLI[@]}" run $W/loop.onnx --backend tensorrt --trt-helper "$HELPER" --inputs $W/loop.ort.inputs.json --save-results $W/loop.trt.json --force
T "${CLI[@]}" compare $W/loop.trt.json $W/loop.ort.json --model $W/loop.onnx

prove_model mobilenet_v3_small
