#include "results_writer.h"

#include <csignal>

#include "base64.h"
#include "cancel.h"
#include "inputs.h"
#include "json.h"
#include "test_support.h"

using namespace oi;
using namespace oi::test;

namespace {

/** outputs dict of the single iteration, after checking the RunResults envelope. */
json::Value outputsOf(const std::string& path, const std::string& runner) {
  json::Value doc = json::parse(readText(path));
  EXPECT_EQ(doc.find("polygraphy_class")->asString(), "RunResults");
  const auto& lst = doc.find("lst")->items();
  EXPECT_EQ(lst.size(), 1u);
  const auto& pair = lst.at(0).items();
  EXPECT_EQ(pair.at(0).asString(), runner);
  const auto& iterations = pair.at(1).items();
  EXPECT_EQ(iterations.size(), 1u);
  const json::Value& it = iterations.at(0);
  EXPECT_EQ(it.find("polygraphy_class")->asString(), "IterationResult");
  EXPECT_EQ(it.find("runner_name")->asString(), runner);
  EXPECT_EQ(it.find("runtime")->kind(), json::Value::Kind::number);
  return *it.find("outputs");
}

HostTensor decodeEntry(const json::Value& outputs, const std::string& name) {
  const json::Value* lazy = outputs.find(name);
  EXPECT_NE(lazy, nullptr) << name;
  EXPECT_EQ(lazy->find("polygraphy_class")->asString(), "LazyArray");
  const json::Value* nd = lazy->find("values");
  EXPECT_EQ(nd->find("polygraphy_class")->asString(), "ndarray");
  std::vector<uint8_t> npy = base64::decode(nd->find("array")->asString());
  return decodeNpy(name, npy.data(), npy.size());
}

template <typename T>
HostTensor make(const std::string& name, DType dt, std::vector<int64_t> shape, std::vector<T> v) {
  HostTensor t;
  t.name = name;
  t.dtype = dt;
  t.shape = std::move(shape);
  t.data.resize(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(t.data.data(), v.data(), t.data.size());
  return t;
}

}  // namespace

TEST(ResultsWriter, WritesPolygraphyRunResultsThatReadBack) {
  TempDir tmp;
  std::string out = tmp.file("out.json");
  std::vector<HostTensor> ts = {
      make<float>("f\"32", DType::f32, {2, 2}, {1.5f, -2, 0, 3.25f}),
      make<uint16_t>("f16", DType::f16, {3}, {0x3C00, 0xC000, 0x7C00}),
      make<int64_t>("i64", DType::i64, {2}, {-1, int64_t(1) << 40}),
      make<int32_t>("i32", DType::i32, {1, 1}, {-7}),
      make<uint8_t>("u8", DType::u8, {2}, {0, 255}),
      make<uint8_t>("b8", DType::b8, {3}, {1, 0, 1}),
      make<float>("scalar", DType::f32, {}, {9}),
      make<float>("empty", DType::f32, {0, 4}, {}),
  };
  {
    ResultsWriter w(out, "trt-runner-N8.6.0");
    EXPECT_TRUE(fileExists(out + ".partial"));
    for (const auto& t : ts) w.add(t);
    EXPECT_FALSE(fileExists(out));
    w.finish(0.0125);
  }
  EXPECT_TRUE(fileExists(out));
  EXPECT_FALSE(fileExists(out + ".partial"));
  json::Value outputs = outputsOf(out, "trt-runner-N8.6.0");
  ASSERT_EQ(outputs.members().size(), ts.size());
  for (size_t i = 0; i < ts.size(); ++i) {
    EXPECT_EQ(outputs.members()[i].first, ts[i].name);  // insertion order kept
    HostTensor back = decodeEntry(outputs, ts[i].name);
    EXPECT_EQ(back.dtype, ts[i].dtype) << ts[i].name;
    EXPECT_EQ(back.shape, ts[i].shape) << ts[i].name;
    EXPECT_EQ(back.data, ts[i].data) << ts[i].name;
  }
  json::Value doc = json::parse(readText(out));
  EXPECT_EQ(doc.find("lst")->items()[0].items()[1].items()[0].find("runtime")->asNumber(), 0.0125);
  // Polygraphy's json.dumps(indent=4) layout.
  std::string text = readText(out);
  const std::string head =
      "{\n    \"lst\": [\n        [\n            \"trt-runner-N8.6.0\",\n            [\n                {\n"
      "                    \"outputs\": {\n                        \"f\\\"32\": {\n";
  EXPECT_EQ(text.substr(0, head.size()), head);
  EXPECT_TRUE(contains(text, "\n                        \"i32\": {\n                            \"values\": {\n"
                             "                                \"array\": \""));
  EXPECT_TRUE(contains(text, "\"runtime\": 0.0125,\n                    \"runner_name\": \"trt-runner-N8.6.0\","));
  const std::string tail = "\n            ]\n        ]\n    ],\n    \"polygraphy_class\": \"RunResults\"\n}";
  EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
}

TEST(ResultsWriter, NoOutputsIsStillValid) {
  TempDir tmp;
  ResultsWriter w(tmp.file("e.json"), "r");
  w.finish(1);
  EXPECT_EQ(outputsOf(tmp.file("e.json"), "r").members().size(), 0u);
}

TEST(ResultsWriter, Bf16IsWidenedToFloat32) {
  TempDir tmp;
  // bf16 0x3FC0 = 1.5, 0xC120 = -10, 0x0000 = 0
  HostTensor t = make<uint16_t>("b", DType::bf16, {3}, {0x3FC0, 0xC120, 0x0000});
  ResultsWriter w(tmp.file("o.json"), "r");
  w.add(t);
  w.finish(0);
  HostTensor back = decodeEntry(outputsOf(tmp.file("o.json"), "r"), "b");
  EXPECT_EQ(back.dtype, DType::f32);
  EXPECT_EQ(values<float>(back), (std::vector<float>{1.5f, -10.0f, 0.0f}));
}

TEST(ResultsWriter, LargeTensorAcrossBase64Slices) {
  TempDir tmp;
  // 4 MB + 7 bytes of data: several 3 MiB slices plus carried bytes.
  std::vector<uint8_t> v((4u << 20) + 7);
  for (size_t i = 0; i < v.size(); ++i) v[i] = uint8_t(i * 31 + (i >> 9));
  HostTensor t = make<uint8_t>("big", DType::u8, {int64_t(v.size())}, v);
  ResultsWriter w(tmp.file("big.json"), "r");
  w.add(t);
  w.finish(0);
  HostTensor back = decodeEntry(outputsOf(tmp.file("big.json"), "r"), "big");
  EXPECT_EQ(back.data, v);
}

TEST(ResultsWriter, AbortAndDestructorLeaveNothing) {
  TempDir tmp;
  std::string out = tmp.file("o.json");
  {
    ResultsWriter w(out, "r");
    w.add(make<float>("x", DType::f32, {1}, {1}));
    w.abort();
    w.abort();  // idempotent
    EXPECT_FALSE(fileExists(out + ".partial"));
  }
  {
    ResultsWriter w(out, "r");
    w.add(make<float>("x", DType::f32, {1}, {1}));
  }  // destroyed unfinished: a failed run
  EXPECT_FALSE(fileExists(out + ".partial"));
  EXPECT_FALSE(fileExists(out));
}

TEST(ResultsWriter, Errors) {
  TempDir tmp;
  std::string msg = errorOf(ErrorClass::write, [&] { ResultsWriter w(tmp.file("no/such/dir/o.json"), "r"); });
  EXPECT_TRUE(contains(msg, "cannot create the results file " + tmp.file("no/such/dir/o.json.partial")));
  EXPECT_TRUE(contains(msg, "No such file or directory"));
  ResultsWriter w(tmp.file("o.json"), "r");
  float one = 1;
  EXPECT_TRUE(contains(errorOf(ErrorClass::internal, [&] { w.add("x", DType::f32, {2}, &one, 4); }),
                       "tensor 'x': 4 bytes for 2 float32 elements"));
  w.finish(0);
  EXPECT_TRUE(contains(errorOf(ErrorClass::internal, [&] { w.add("y", DType::f32, {1}, &one, 4); }), "is closed"));
}

TEST(ResultsWriter, SignalRemovesThePartialFile) {
  TempDir tmp;
  std::string out = tmp.file("o.json");
  setExitOnSignal(false);
  installCancelHandler();
  {
    ResultsWriter w(out, "r");
    w.add(make<float>("x", DType::f32, {1}, {1}));
    ASSERT_TRUE(fileExists(w.partialPath()));
    std::raise(SIGTERM);
    EXPECT_FALSE(fileExists(w.partialPath()));
    EXPECT_TRUE(cancelRequested());
  }
  clearCancelRequest();
  setExitOnSignal(true);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGINT, SIG_DFL);
}
