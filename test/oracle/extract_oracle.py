#!/usr/bin/env python3
"""Oracle for submodel extraction: onnx.utils's Extractor (what onnx.utils.extract_model runs after shape
inference), on models loaded without their external data so graph-only models work too.

stdin: {"models": [{"path": str, "cuts": [{"inputs": [..], "outputs": [..]}]}]}
stdout: {"onnx": version, "models": [{"inferSeconds": s, "cuts": [cut result | {"error": str}]}]}
Cut result: nodes (name/op/domain/inputs/outputs, in order), initializers, inputs/outputs with elemType and
shape (null dims unknown), seconds (extraction alone, shape inference excluded).
"""
import json
import sys
import time

import onnx
import onnx.shape_inference
import onnx.utils


def value_info(vi):
    t = vi.type.tensor_type if vi.type.HasField("tensor_type") else None
    if t is None:
        return {"name": vi.name, "elemType": None, "shape": None}
    shape = None
    if t.HasField("shape"):
        shape = [d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in t.shape.dim]
    return {"name": vi.name, "elemType": t.elem_type, "shape": shape}


def extract(extractor, cut):
    t0 = time.perf_counter()
    m = extractor.extract_model(cut["inputs"], cut["outputs"])
    seconds = time.perf_counter() - t0
    g = m.graph
    return {
        "seconds": seconds,
        "producer": m.producer_name,
        "nodes": [{"name": n.name, "op": n.op_type, "domain": n.domain, "inputs": list(n.input), "outputs": list(n.output)} for n in g.node],
        "initializers": [t.name for t in g.initializer],
        "inputs": [value_info(v) for v in g.input],
        "outputs": [value_info(v) for v in g.output],
    }


def main():
    job = json.load(sys.stdin)
    result = {"onnx": onnx.__version__, "models": []}
    for spec in job["models"]:
        model = onnx.load(spec["path"], load_external_data=False)
        t0 = time.perf_counter()
        model = onnx.shape_inference.infer_shapes(model)
        infer_seconds = time.perf_counter() - t0
        extractor = onnx.utils.Extractor(model)
        cuts = []
        for cut in spec["cuts"]:
            try:
                cuts.append(extract(extractor, cut))
            except Exception as e:  # reported per cut so one bad cut does not hide the others
                cuts.append({"error": f"{type(e).__name__}: {e}"})
        result["models"].append({"inferSeconds": infer_seconds, "cuts": cuts})
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
