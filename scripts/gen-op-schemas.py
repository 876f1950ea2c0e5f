#!/usr/bin/env python3
"""Writes the ONNX operator schemas (every version of every op the installed `onnx` package knows) as compact JSON.

    python3 scripts/gen-op-schemas.py OUT.json

The graph view names op inputs (X, W, B, ...) and the properties panel shows type constraints and attribute
defaults from this file; src/core/opSchemas.ts reads it. Format (arrays keep it small):
    {"onnx": "<version>", "domains": {"<domain>": {"<op>": [[since, deprecated, inputs, outputs, attributes,
     constraints], ...newest last]}}}
    inputs/outputs: [name, flags, type_str]   flags: "" | "o" (optional) | "v" (variadic) | "ov"
    attributes:     [name, type, required, default-or-null]   (default as display text)
    constraints:    [param, [allowed types...]]
"""
import json
import sys


def fail(message):
    sys.stderr.write(f"gen-op-schemas: {message}\n")
    sys.exit(1)


try:
    import onnx
    from onnx import defs, helper
except ImportError:
    fail("python3 cannot import the 'onnx' package, which the build needs to generate the operator schemas "
         "(pip install onnx, or run scripts/setup.sh)")


def formal(p):
    option = p.option
    flags = ""
    if option == defs.OpSchema.FormalParameterOption.Optional:
        flags = "o"
    elif option == defs.OpSchema.FormalParameterOption.Variadic:
        flags = "v" if p.min_arity > 0 else "ov"
    return [p.name, flags, p.type_str]


def default_text(attr):
    d = attr.default_value
    if d is None or not d.name or d.type == onnx.AttributeProto.UNDEFINED:
        return None
    value = helper.get_attribute_value(d)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        items = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in value]
        return "[" + ", ".join(fmt_number(v) for v in items) + "]"
    if isinstance(value, (int, float)):
        return fmt_number(value)
    return onnx.AttributeProto.AttributeType.Name(d.type).lower()  # tensor, graph, ...: named, not printed


def fmt_number(v):
    if isinstance(v, float):
        text = repr(v)
        # onnx stores defaults as float32: print the shortest text that reads back as that float32.
        for digits in range(1, 10):
            short = f"{v:.{digits}g}"
            if abs(float(short) - v) <= abs(v) * 1e-7:
                return short
        return text
    return str(v)


def attribute(attr):
    return [attr.name, attr.type.name.lower(), bool(attr.required), default_text(attr)]


def main():
    if len(sys.argv) != 2:
        fail("usage: gen-op-schemas.py OUT.json")
    domains = {}
    for s in defs.get_all_schemas_with_history():
        entry = [
            s.since_version,
            1 if s.deprecated else 0,
            [formal(p) for p in s.inputs],
            [formal(p) for p in s.outputs],
            [attribute(a) for _, a in sorted(s.attributes.items())],
            [[c.type_param_str, list(c.allowed_type_strs)] for c in s.type_constraints],
        ]
        domains.setdefault(s.domain, {}).setdefault(s.name, []).append(entry)
    for ops in domains.values():
        for versions in ops.values():
            versions.sort(key=lambda e: e[0])
    out = {"onnx": onnx.__version__, "domains": domains}
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=True)


main()
