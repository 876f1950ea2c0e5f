#include "events.h"

#include <thread>

#include "test_support.h"

using namespace oi;
using namespace oi::test;

namespace {
std::vector<json::Value> lines(const std::string& out) {
  std::vector<json::Value> v;
  size_t start = 0;
  while (start < out.size()) {
    size_t nl = out.find('\n', start);
    EXPECT_NE(nl, std::string::npos) << "every event ends with a newline";
    if (nl == std::string::npos) break;
    v.push_back(json::parse(out.substr(start, nl - start)));
    start = nl + 1;
  }
  return v;
}
}  // namespace

TEST(Errors, ClassNamesAndExitCodesAsInProtocol) {
  struct Row { ErrorClass c; const char* name; int code; };
  const Row rows[] = {{ErrorClass::internal, "internal", 1},       {ErrorClass::usage, "usage", 2},
                      {ErrorClass::noTensorrt, "no-tensorrt", 3},  {ErrorClass::noGpu, "no-gpu", 4},
                      {ErrorClass::parse, "parse", 5},             {ErrorClass::unsupportedOpset, "unsupported-opset", 5},
                      {ErrorClass::build, "build", 6},             {ErrorClass::run, "run", 7},
                      {ErrorClass::badInput, "bad-input", 8},      {ErrorClass::buildTimeout, "build-timeout", 9},
                      {ErrorClass::write, "write", 10},            {ErrorClass::cancelled, "cancelled", 143}};
  for (const Row& r : rows) {
    EXPECT_STREQ(errorClassName(r.c), r.name);
    EXPECT_EQ(exitCodeOf(r.c), r.code) << r.name;
  }
}

TEST(Tensor, DtypeTables) {
  EXPECT_EQ(dtypeSize(DType::f32), 4u);
  EXPECT_EQ(dtypeSize(DType::f16), 2u);
  EXPECT_EQ(dtypeSize(DType::bf16), 2u);
  EXPECT_EQ(dtypeSize(DType::i64), 8u);
  EXPECT_EQ(dtypeSize(DType::b8), 1u);
  EXPECT_EQ(npyDescr(DType::bf16), "<f4");
  EXPECT_EQ(npyDescr(DType::b8), "|b1");
  for (DType t : {DType::f32, DType::f16, DType::f64, DType::i8, DType::u8, DType::i32, DType::i64, DType::b8})
    EXPECT_EQ(dtypeFromDescr(npyDescr(t)), t) << dtypeName(t);
  EXPECT_EQ(dtypeFromDescr("<u1"), DType::u8);
  EXPECT_STREQ(dtypeName(DType::bf16), "bfloat16");
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { dtypeFromDescr("<u2"); }), "'<u2' is not supported"));
  HostTensor t;
  t.shape = {2, 3, 4};
  EXPECT_EQ(t.elementCount(), 24u);
  t.shape = {};
  EXPECT_EQ(t.elementCount(), 1u);
}

TEST(Events, OneJsonObjectPerLine) {
  testing::internal::CaptureStdout();
  Emitter e;
  e.progress("build", "start");
  e.progress("run", "done", 1.25, 3, 80);
  e.log("warning", "two\nlines");
  RunResultEvent r;
  r.runnerName = "trt-runner-N8.6.0";
  r.resultsPath = "/x/out.json";
  r.layerInfoPath = "/x/out.layers.json";
  r.captured = {"a", "b"};
  r.skipped = {{"t", "inside a Loop body"}};
  r.fused = {{"t2", std::string("Conv_3 + Relu_4")}, {"t3", std::nullopt}};
  r.timings = {{"load", 7.1}, {"build", 30.2}};
  r.notes = {"TF32 disabled"};
  e.result(r);
  e.error(HelperError(ErrorClass::noTensorrt, "not found", "", {{"/opt/tensorrt/lib", "libnvinfer.so.8: no such file"}}));
  e.error(HelperError(ErrorClass::parse, "bad node", "Conv_3"));
  std::string out = testing::internal::GetCapturedStdout();
  auto v = lines(out);
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(json::write(v[0]), R"({"event":"progress","stage":"build","state":"start"})");
  EXPECT_EQ(json::write(v[1]), R"({"event":"progress","stage":"run","state":"done","seconds":1.25,"done":3,"total":80})");
  EXPECT_EQ(json::write(v[2]), R"({"event":"log","level":"warning","message":"two\nlines"})");
  EXPECT_EQ(json::write(v[3]),
            R"({"event":"result","runnerName":"trt-runner-N8.6.0","resultsPath":"/x/out.json",)"
            R"("layerInfoPath":"/x/out.layers.json","captured":["a","b"],"skipped":[{"name":"t","reason":"inside a Loop body"}],)"
            R"("fused":[{"tensor":"t2","layer":"Conv_3 + Relu_4"},{"tensor":"t3","layer":null}],"engineCached":false,)"
            R"("timings":{"load":7.1,"build":30.2},"notes":["TF32 disabled"]})");
  EXPECT_EQ(json::write(v[4]),
            R"({"event":"error","class":"no-tensorrt","message":"not found","node":null,)"
            R"("searched":[{"path":"/opt/tensorrt/lib","reason":"libnvinfer.so.8: no such file"}]})");
  EXPECT_EQ(json::write(v[5]), R"({"event":"error","class":"parse","message":"bad node","node":"Conv_3","searched":[]})");
}

TEST(Events, ResultCarriesThePeakMemoryWhenKnown) {
  // The issue's figure "the helper's peak memory" comes from here: the process's own getrusage.
  const double mib = peakRssMiB();
  EXPECT_GT(mib, 1.0);      // a running process holds at least its binary and stack
  EXPECT_LT(mib, 65536.0);  // KiB misread as bytes or MiB would be far off either way
  testing::internal::CaptureStdout();
  RunResultEvent r;
  r.runnerName = "r";
  r.peakRssMiB = 1536.5;
  Emitter().result(r);
  auto v = lines(testing::internal::GetCapturedStdout());
  ASSERT_EQ(v.size(), 1u);
  ASSERT_NE(v[0].find("peakRssMiB"), nullptr);
  EXPECT_EQ(v[0].find("peakRssMiB")->asNumber(), 1536.5);
}

TEST(Events, ServeModeAddsTheIdAfterEvent) {
  testing::internal::CaptureStdout();
  Emitter e(42);
  e.log("info", "x");
  json::Value raw = json::Value::object();
  raw.set("event", json::Value::string("version"));
  raw.set("helper", json::Value::string("0.1.0"));
  e.raw(raw);
  auto v = lines(testing::internal::GetCapturedStdout());
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(json::write(v[0]), R"({"event":"log","id":42,"level":"info","message":"x"})");
  EXPECT_EQ(json::write(v[1]), R"({"event":"version","id":42,"helper":"0.1.0"})");
}

TEST(Events, ConcurrentWritersNeverInterleaveLines) {
  testing::internal::CaptureStdout();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t] {
      Emitter e;
      for (int i = 0; i < 200; ++i) e.log("info", std::string(100, char('a' + t)) + std::to_string(i));
    });
  for (auto& th : threads) th.join();
  auto v = lines(testing::internal::GetCapturedStdout());
  EXPECT_EQ(v.size(), 800u);
  for (const auto& ev : v) EXPECT_EQ(ev.find("event")->asString(), "log");
}
