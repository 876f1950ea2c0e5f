#include "cache_key.h"

#include <set>

#include "test_support.h"

using namespace oi;
using namespace oi::test;

static std::string sha(const std::string& s) {
  Sha256 h;
  h.update(s);
  return h.hexDigest();
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56 and 64 bytes straddle the padding boundary.
  EXPECT_EQ(sha(std::string(55, 'x')), "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(sha(std::string(56, 'x')), "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  EXPECT_EQ(sha(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Sha256, PiecewiseEqualsWhole) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += char(i * 7);
  std::string whole = sha(text);
  for (size_t step : {1u, 3u, 63u, 64u, 65u, 1000u}) {
    Sha256 h;
    for (size_t at = 0; at < text.size(); at += step) h.update(text.substr(at, step));
    EXPECT_EQ(h.hexDigest(), whole) << "step " << step;
  }
}

class CacheKey : public ::testing::Test {
 protected:
  TempDir tmp;
  CacheKeyInputs base;
  void SetUp() override {
    writeText(tmp.file("m.onnx"), "model bytes");
    writeText(tmp.file("w.bin"), "weights");
    base.modelPath = tmp.file("m.onnx");
    base.externalFiles = {tmp.file("w.bin")};
    base.tensorrtVersion = "8.6.1";
    base.gpu = "NVIDIA H100 80GB HBM3 (sm_90)";
    base.captureMode = "mark";
    base.captured = {"a", "b"};
  }
};

TEST_F(CacheKey, StableAndHex) {
  std::string k = engineCacheKey(base);
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(k.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(engineCacheKey(base), k);
  // Options that do not change the engine leave the key alone.
  CacheKeyInputs same = base;
  same.options.saveResults = "/else.json";
  same.options.runnerName = "x";
  same.options.noCache = true;
  same.options.buildTimeoutSec = 5;
  EXPECT_EQ(engineCacheKey(same), k);
}

TEST_F(CacheKey, EveryFieldChangesTheKey) {
  const std::string k = engineCacheKey(base);
  std::vector<std::pair<std::string, std::function<void(CacheKeyInputs&)>>> changes = {
      {"model bytes", [&](CacheKeyInputs& c) {
         writeText(tmp.file("m2.onnx"), "model bytez");
         c.modelPath = tmp.file("m2.onnx");
       }},
      {"external bytes", [&](CacheKeyInputs& c) { writeText(tmp.file("w2.bin"), "weightz"); c.externalFiles = {tmp.file("w2.bin")}; }},
      {"no external", [](CacheKeyInputs& c) { c.externalFiles.clear(); }},
      {"tensorrt", [](CacheKeyInputs& c) { c.tensorrtVersion = "8.6.0"; }},
      {"gpu", [](CacheKeyInputs& c) { c.gpu = "NVIDIA A100 (sm_80)"; }},
      {"capture mode", [](CacheKeyInputs& c) { c.captureMode = "debug"; }},
      {"captured", [](CacheKeyInputs& c) { c.captured = {"a"}; }},
      {"captured order", [](CacheKeyInputs& c) { c.captured = {"b", "a"}; }},
      {"captured split", [](CacheKeyInputs& c) { c.captured = {"ab"}; }},
      {"fp16", [](CacheKeyInputs& c) { c.options.fp16 = true; }},
      {"bf16", [](CacheKeyInputs& c) { c.options.bf16 = true; }},
      {"int8", [](CacheKeyInputs& c) { c.options.int8 = true; }},
      {"tf32", [](CacheKeyInputs& c) { c.options.tf32 = true; }},
      {"obeyPrecision", [](CacheKeyInputs& c) { c.options.obeyPrecision = true; }},
      {"workspace", [](CacheKeyInputs& c) { c.options.workspaceMiB = 2048; }},
      {"tactics", [](CacheKeyInputs& c) { c.options.tacticSources = "all"; }},
  };
  std::set<std::string> keys = {k};
  for (auto& [what, change] : changes) {
    CacheKeyInputs c = base;
    change(c);
    std::string changed = engineCacheKey(c);
    EXPECT_NE(changed, k) << what;
    keys.insert(changed);
  }
  EXPECT_EQ(keys.size(), changes.size() + 1) << "every change gives a distinct key";
}

TEST_F(CacheKey, MissingFilesAreBadInput) {
  CacheKeyInputs c = base;
  c.externalFiles = {tmp.file("gone.bin")};
  std::string msg = errorOf(ErrorClass::badInput, [&] { engineCacheKey(c); });
  EXPECT_TRUE(contains(msg, "cannot read " + tmp.file("gone.bin") + " for the engine cache key"));
}

TEST(CacheDir, XdgThenHome) {
  std::string oldXdg = getenv("XDG_CACHE_HOME") ? getenv("XDG_CACHE_HOME") : "";
  std::string oldHome = getenv("HOME") ? getenv("HOME") : "";
  setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(defaultCacheDir(), "/xdg/onnx-inspector/trt-engines");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(defaultCacheDir(), "/home/u/.cache/onnx-inspector/trt-engines");
  if (!oldXdg.empty()) setenv("XDG_CACHE_HOME", oldXdg.c_str(), 1);
  setenv("HOME", oldHome.c_str(), 1);
}
