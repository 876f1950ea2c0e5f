#include "onnx_scan.h"

#include "test_support.h"

using namespace oi;
using namespace oi::test;

namespace {

/** Protobuf wire-format builder for hand-made models. */
struct Pb {
  std::string b;
  Pb& varint(uint64_t v) {
    while (v >= 0x80) { b += char((v & 0x7F) | 0x80); v >>= 7; }
    b += char(v);
    return *this;
  }
  Pb& tag(uint32_t field, int wire) { return varint((uint64_t(field) << 3) | uint64_t(wire)); }
  Pb& num(uint32_t field, uint64_t v) { return tag(field, 0).varint(v); }
  Pb& bytes(uint32_t field, const std::string& s) { tag(field, 2).varint(s.size()); b += s; return *this; }
  Pb& msg(uint32_t field, const Pb& m) { return bytes(field, m.b); }
  Pb& fixed64(uint32_t field) { tag(field, 1); b += std::string(8, '\x11'); return *this; }
  Pb& fixed32(uint32_t field) { tag(field, 5); b += std::string(4, '\x22'); return *this; }
  Pb& group(uint32_t field) {
    tag(field, 3);
    num(1, 5);
    bytes(2, "inside");
    return tag(field, 4);
  }
  std::vector<uint8_t> vec() const { return std::vector<uint8_t>(b.begin(), b.end()); }
};

Pb node(const std::string& name, const std::string& op) {
  Pb n;
  n.bytes(1, "in").bytes(2, "out").bytes(3, name).bytes(4, op).fixed32(99);
  return n;
}

Pb externalTensor(const std::string& location) {
  Pb entry, offset, t;
  entry.bytes(1, "location").bytes(2, location);
  offset.bytes(1, "offset").bytes(2, "0");
  t.bytes(8, "w").msg(13, entry).msg(13, offset).num(14, 1);
  return t;
}

std::vector<uint8_t> tinyModel() {
  Pb graph;
  graph.msg(1, node("conv0", "Conv")).msg(1, node("", "Relu")).bytes(2, "g").group(50);
  graph.msg(5, externalTensor("weights.bin")).msg(5, externalTensor("weights.bin")).msg(5, externalTensor("more.bin"));
  Pb inlineTensor;
  inlineTensor.bytes(8, "b").bytes(9, std::string(12, '\0'));
  graph.msg(5, inlineTensor);
  // An initializer whose location is DEFAULT but carries external_data keys is not external.
  Pb notExternal;
  Pb entry;
  entry.bytes(1, "location").bytes(2, "ignored.bin");
  notExternal.msg(13, entry).num(14, 0);
  graph.msg(5, notExternal);
  Pb opset, custom, onnxDomain;
  opset.bytes(1, "").num(2, 17);
  custom.bytes(1, "com.microsoft").num(2, 1);
  Pb m;
  m.num(1, 8).bytes(2, "pytorch").fixed64(40).msg(8, opset).msg(8, custom).msg(7, graph).group(60).fixed32(61);
  return m.vec();
}

}  // namespace

TEST(OnnxScan, HandBuiltModelWithEveryWireType) {
  OnnxSummary s = scanOnnx(tinyModel());
  EXPECT_EQ(s.irVersion, 8);
  EXPECT_EQ(s.opsets, (std::map<std::string, int64_t>{{"", 17}, {"com.microsoft", 1}}));
  EXPECT_EQ(s.nodeNames, (std::vector<std::string>{"conv0", ""}));
  EXPECT_EQ(s.nodeOps, (std::vector<std::string>{"Conv", "Relu"}));
  EXPECT_EQ(s.externalDataLocations, (std::vector<std::string>{"weights.bin", "more.bin"}));
}

TEST(OnnxScan, AiOnnxDomainCountsAsDefault) {
  Pb opset, graph, m;
  opset.bytes(1, "ai.onnx").num(2, 13);
  m.num(1, 7).msg(8, opset).msg(7, graph);
  EXPECT_EQ(scanOnnx(m.vec()).opsets.at(""), 13);
}

TEST(OnnxScan, RealModel) {
  std::string path = std::string(HELPER_REPO_ROOT) + "/../shared/models/squeezenet1_1.onnx";
  if (!fileExists(path)) GTEST_SKIP() << path << " is not present: skipping the real-model scan";
  OnnxSummary s = scanOnnx(readFileBytes(path));
  // Facts from python onnx: onnx.load(...).ir_version, opset_import, graph.node.
  EXPECT_EQ(s.irVersion, 8);
  EXPECT_EQ(s.opsets, (std::map<std::string, int64_t>{{"", 17}}));
  ASSERT_EQ(s.nodeNames.size(), 83u);
  EXPECT_EQ(s.nodeNames.front(), "Identity_0");
  EXPECT_EQ(s.nodeOps.front(), "Identity");
  EXPECT_EQ(s.nodeNames.back(), "/Flatten");
  EXPECT_EQ(s.nodeOps.back(), "Flatten");
  EXPECT_TRUE(s.externalDataLocations.empty());
}

TEST(OnnxScan, NotOnnx) {
  auto err = [](const std::string& bytes) {
    return errorOf(ErrorClass::badInput, [&] { scanOnnx(std::vector<uint8_t>(bytes.begin(), bytes.end())); });
  };
  EXPECT_EQ(err(""), "not an ONNX model (no ir_version or graph)");
  EXPECT_TRUE(contains(err("{\"json\": true}"), "not an ONNX model (protobuf: "));
  std::vector<uint8_t> model = tinyModel();
  std::string cut(model.begin(), model.begin() + long(model.size() / 2));
  EXPECT_TRUE(contains(err(cut), "not an ONNX model (protobuf: "));
  Pb wrongWire;
  wrongWire.bytes(1, "x");  // ir_version as a string
  EXPECT_EQ(err(wrongWire.b), "not an ONNX model (protobuf: ModelProto.ir_version has the wrong wire type)");
  Pb badWire;
  badWire.tag(9, 7);
  EXPECT_EQ(err(badWire.b), "not an ONNX model (protobuf: invalid wire type 7)");
  EXPECT_EQ(err(std::string(11, '\xff')), "not an ONNX model (protobuf: varint longer than 10 bytes)");
}

TEST(OnnxScan, ReadFileBytesErrors) {
  TempDir tmp;
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { readFileBytes(tmp.file("none.onnx")); }),
                       "cannot read " + tmp.file("none.onnx") + ": No such file or directory"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { readFileBytes(tmp.path()); }), "Is a directory"));
  writeText(tmp.file("a.bin"), std::string("a\0b", 3));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { scanOnnxFile(tmp.file("a.bin")); }),
                       tmp.file("a.bin") + ": not an ONNX model (protobuf: "));
  EXPECT_EQ(readFileBytes(tmp.file("a.bin")), (std::vector<uint8_t>{'a', 0, 'b'}));
}

TEST(OnnxScan, MaxSupportedOpset) {
  EXPECT_EQ(maxSupportedOpset(8, 6), 17);
  EXPECT_EQ(maxSupportedOpset(10, 0), 20);
  EXPECT_EQ(maxSupportedOpset(10, 16), 20);
  EXPECT_EQ(maxSupportedOpset(11, 1), 22);
}

TEST(OnnxScan, EveryTruncationAndByteFlipIsAnErrorOrASummaryNeverACrash) {
  const std::vector<uint8_t> model = tinyModel();
  int errors = 0;
  for (size_t n = 0; n < model.size(); ++n) {
    std::vector<uint8_t> cut(model.begin(), model.begin() + long(n));
    try {
      scanOnnx(cut);
    } catch (const HelperError& e) {
      EXPECT_EQ(e.cls, ErrorClass::badInput);
      ++errors;
    }
  }
  EXPECT_GT(errors, int(model.size() / 2));
  uint32_t seed = 12345;
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> m = model;
    seed = seed * 1664525u + 1013904223u;
    m[seed % m.size()] ^= uint8_t(1u << ((seed >> 16) % 8));
    try {
      scanOnnx(m);
    } catch (const HelperError& e) {
      EXPECT_EQ(e.cls, ErrorClass::badInput);
    }
  }
}
