# Sourced by prove.sh (`prove.sh reduce`), after its setup: `onnx-inspector reduce` with real TensorRT 8.6 as one
# side, onnxruntime CPU (optimizations off) as the reference. Each case: the minimal model must be small, pass
# onnx.checker and run in onnxruntime; the report (steps, candidate sizes, pass/fail, times) is kept in $R.
export ONNX_INSPECTOR_TRT_HELPER=$HELPER
check_min() {  # MIN.onnx -> node count and op types, checked and run by onnxruntime
  python3 - "$1" <<'PY'
import sys, onnx, onnxruntime as ort, numpy as np
m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True)
s = ort.InferenceSession(sys.argv[1], providers=['CPUExecutionProvider'])
feed = {}
for i in s.get_inputs():
    shape = [d if isinstance(d, int) else 1 for d in i.shape]
    feed[i.name] = np.random.rand(*shape).astype(np.float32) if 'float' in i.type else np.zeros(shape, np.int64)
s.run(None, feed)
print(f'minimal model: {len(m.graph.node)} nodes {[n.op_type for n in m.graph.node]}, checker ok, onnxruntime ran it')
PY
}
reduce_case() {  # NAME MODEL ARGS...
  local name=$1 model=$2; shift 2
  echo "=== reduce: $name"
  T "${CLI[@]}" reduce "$model" "$@" -o $W/$name.min.onnx --report $R/$name.reduce.md
  [[ -f $W/$name.min.onnx ]] && check_min $W/$name.min.onnx
  sed -n '/^## Steps/,/^## Minimal/p' $R/$name.reduce.md | head -24
}
# TensorRT FP16 against onnxruntime FP32 at a tolerance FP16 cannot meet: where does it first fail, alone?
reduce_case squeezenet_fp16 $W/squeezenet1_1.onnx --backend-a tensorrt:fp16 --backend-b onnxruntime:opt-level=disabled --atol 1e-4 --rtol 1e-4
# An edited copy (one Add of a Swin block made a Sub) on TensorRT, against the original on onnxruntime.
node_name=$(swin_add_to_sub)
echo "changed node and output: $node_name"
reduce_case swin_sub_trt $W/swin_tiny_sub.onnx --against $W/swin_tiny.onnx --backend-a tensorrt --backend-b onnxruntime:opt-level=disabled
reduce_case swin_fp16 $W/swin_tiny.onnx --backend-a tensorrt:fp16 --backend-b onnxruntime:opt-level=disabled --atol 1e-3 --rtol 1e-3
