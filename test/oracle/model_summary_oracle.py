#!/usr/bin/env python3
"""Oracle for `onnx-inspector info`: what python onnx reads from a model (external data not loaded).

stdin: {"paths": [str]}
stdout: {"models": [{irVersion, producer, opsets, inputs, outputs, nodes, initializers, ops}]}
"""
import collections
import json
import sys

import onnx


def summary(path):
    m = onnx.load(path, load_external_data=False)
    g = m.graph
    inits = {t.name for t in g.initializer}
    ops = collections.Counter(n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}" for n in g.node)
    return {
        "irVersion": m.ir_version,
        "producer": {"name": m.producer_name, "version": m.producer_version},
        "opsets": [{"domain": o.domain or "ai.onnx", "version": o.version} for o in m.opset_import],
        "inputs": [i.name for i in g.input if i.name not in inits],
        "outputs": [o.name for o in g.output],
        "nodes": len(g.node),
        "initializers": len(g.initializer),
        "ops": dict(ops),
    }


json.dump({"models": [summary(p) for p in json.load(sys.stdin)["paths"]]}, sys.stdout)
