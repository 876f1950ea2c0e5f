"""Writes test/fixtures/text_features.onnx: a tiny model using the constructs of the ONNX text form that
onnx.parser reads back: all attribute kinds except `tensors` and `type_protos` (parse_model 1.23 drops
those lists), quoted names, value_info, metadata, a model-local function with an @ref attribute, raw and
typed tensors of many element types. Run with python3 (onnx >= 1.16) from the repo root."""
import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

F = "local.fn"

def typed(name, dt, dims, field, values):
    t = T(name=name, data_type=dt, dims=dims)
    getattr(t, field).extend(values)
    return t

inits = [
    nh.from_array(np.array([1.5, -0.0, np.inf, -np.inf, np.nan, 1e-5, 3.4e38, 0.1], np.float32), "/w/f32 raw"),
    nh.from_array(np.arange(40, dtype=np.float32).reshape(5, 8) / 7, "big"),
    nh.from_array(np.array([0.1, 1e300, -2.5], np.float64), "f64"),
    nh.from_array(np.array([1.0, -2.0, 65504.0], np.float16), "f16"),
    nh.from_array(np.array([True, False], np.bool_), "flags"),
    nh.from_array(np.array([-128, 127], np.int8), "i8"),
    nh.from_array(np.array([2**63 - 1, -2**63], np.int64), "i64"),
    nh.from_array(np.array([2**64 - 1, 0], np.uint64), "u64"),
    nh.from_array(np.array([4294967295], np.uint32), "u32"),
    typed("typed_f", T.FLOAT, [2], "float_data", [0.25, -1e-7]),
    typed("typed_i64", T.INT64, [3], "int64_data", [1, -1, 9007199254740993]),
    typed("typed_f16", T.FLOAT16, [2], "int32_data", [15360, 49152]),
    typed("typed_str", T.STRING, [2], "string_data", [b"a\"b", b"c\\d"]),
    typed("scalar", T.INT32, [], "int32_data", [7]),
]

then_g = h.make_graph([h.make_node("Identity", ["x"], ["t_out"])], "then_g", [],
                      [h.make_tensor_value_info("t_out", T.FLOAT, ["N", 3])])
else_g = h.make_graph([h.make_node("Neg", ["x"], ["e_out"], name="neg node")], "else_g", [],
                      [h.make_tensor_value_info("e_out", T.FLOAT, ["N", 3])])
seq_t = h.make_sequence_type_proto(h.make_tensor_type_proto(T.INT64, None))
map_t = h.make_map_type_proto(T.STRING, h.make_tensor_type_proto(T.FLOAT, [2]))
opt_t = h.make_optional_type_proto(h.make_tensor_type_proto(T.BOOL, []))

custom = h.make_node(
    "Custom", ["x", "", "big"], ["/a/out:0", "b"], domain="my.domain", name="/a/Custom",
    f=0.1, i=-3, s="quote\" and \\ backslash", t=nh.from_array(np.array([1, 2, 3], np.int32), "tv"),
    floats=[1.0, 2.5e-10], ints=[1, -2, 2**40], strings=["a", "b c"],
    tp=h.make_tensor_type_proto(T.FLOAT, ["N", None, 3]),
)
nodes = [
    custom,
    h.make_node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g),
    h.make_node("Loop", ["", "cond"], ["loop_out"], body=h.make_graph(
        [h.make_node("Identity", ["c_in"], ["c_out"])], "body",
        [h.make_tensor_value_info("i", T.INT64, []), h.make_tensor_value_info("c_in", T.BOOL, [])],
        [h.make_tensor_value_info("c_out", T.BOOL, [])])),
    h.make_node("Fn", ["y"], ["fn_out"], domain=F, alpha=0.5),
]
graph = h.make_graph(
    nodes, "features graph",
    [h.make_tensor_value_info("x", T.FLOAT, ["N", 3]), h.make_tensor_value_info("cond", T.BOOL, []),
     h.make_value_info("s", seq_t), h.make_value_info("m", map_t)],
    [h.make_tensor_value_info("fn_out", T.FLOAT, None), h.make_tensor_value_info("loop_out", T.BOOL, [])],
    initializer=inits,
    value_info=[h.make_tensor_value_info("/a/out:0", T.FLOAT, ["batch size", 3])],
)
fn = h.make_function(
    F, "Fn", ["fx"], ["fy"],
    [h.make_node("Constant", [], ["c"], value_float=1.0),
     h.make_node("LeakyRelu", ["fx"], ["fy0"]),
     h.make_node("Add", ["fy0", "c"], ["fy"])],
    [h.make_opsetid("", 17)], attributes=["alpha"],
)
fn.node[1].attribute.append(h.make_attribute_ref("alpha", onnx.AttributeProto.FLOAT))
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17), h.make_opsetid("my.domain", 1), h.make_opsetid(F, 1)],
                     functions=[fn], producer_name="make_text_fixtures", producer_version="1",
                     doc_string="Every construct of the text form.\nSecond line.", model_version=3, domain="test.fixtures")
h.set_model_props(model, {"author": "onnx-inspector", "quote": "\"q\""})
onnx.save(model, "test/fixtures/text_features.onnx")
print(onnx.printer.to_text(model))
