#include "inputs.h"

#include "test_support.h"

using namespace oi;
using namespace oi::test;

static HostTensor readOne(const std::string& spec) {
  auto v = readInputs({spec});
  EXPECT_EQ(v.size(), 1u);
  return v.at(0);
}

TEST(Npy, ReadsEveryDtypeFromRealFiles) {
  HostTensor f32 = readOne("x=" + fixture("f32.npy"));
  EXPECT_EQ(f32.name, "x");
  EXPECT_EQ(f32.dtype, DType::f32);
  EXPECT_EQ(f32.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values<float>(f32), (std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1.0f, 1.25f}));

  HostTensor f16 = readOne("h=" + fixture("f16.npy"));
  EXPECT_EQ(f16.dtype, DType::f16);
  // -1.5 in binary16 is 0xBE00, 1.5 is 0x3E00.
  EXPECT_EQ(values<uint16_t>(f16), (std::vector<uint16_t>{0xBE00, 0xB800, 0x3800, 0x3E00}));

  HostTensor i64 = readOne("i=" + fixture("i64.npy"));
  EXPECT_EQ(i64.dtype, DType::i64);
  EXPECT_EQ(values<int64_t>(i64), (std::vector<int64_t>{-3, 0, 7, 2147483647}));

  EXPECT_EQ(values<int32_t>(readOne("a=" + fixture("i32.npy"))), (std::vector<int32_t>{0, -2, -4, -6, -8}));
  HostTensor u8 = readOne("a=" + fixture("u8.npy"));
  EXPECT_EQ(u8.dtype, DType::u8);
  EXPECT_EQ(values<uint8_t>(u8), (std::vector<uint8_t>{250, 251, 252, 253, 254, 255}));
  HostTensor b8 = readOne("a=" + fixture("b8.npy"));
  EXPECT_EQ(b8.dtype, DType::b8);
  EXPECT_EQ(values<uint8_t>(b8), (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(values<double>(readOne("a=" + fixture("f64.npy"))), (std::vector<double>{0.5, -2.0}));
  EXPECT_EQ(values<int8_t>(readOne("a=" + fixture("i8.npy"))), (std::vector<int8_t>{-128, 127}));

  HostTensor scalar = readOne("s=" + fixture("scalar.npy"));
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(values<float>(scalar), (std::vector<float>{3.5f}));
}

TEST(Npy, ReadsFormatVersions2And3) {
  for (const char* f : {"f32_v2.npy", "f32_v3.npy"}) {
    HostTensor t = readOne("x=" + fixture(f));
    EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3})) << f;
    EXPECT_EQ(values<float>(t)[5], 1.25f) << f;
  }
}

TEST(Npy, RejectsFortranBigEndianComplexTruncated) {
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({"x=" + fixture("fortran.npy")}); }), "Fortran order"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({"x=" + fixture("big_endian.npy")}); }), "big-endian"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({"x=" + fixture("complex.npy")}); }), "'<c8' is not supported"));
  std::string msg = errorOf(ErrorClass::badInput, [] { readInputs({"x=" + fixture("truncated.npy")}); });
  EXPECT_TRUE(contains(msg, "truncated.npy"));
  EXPECT_TRUE(contains(msg, "20 bytes, its shape and dtype need 24"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({"x=" + fixture("inputs.json")}); }), "not an npy array"));
}

TEST(Npy, HeaderRoundTripIsWhatNumpyWrites) {
  // np.save of a (2, 3) float32 writes exactly this 128-byte header.
  std::string numpyFile = readText(fixture("f32.npy"));
  std::vector<uint8_t> h = encodeNpyHeader(DType::f32, {2, 3});
  ASSERT_EQ(h.size(), 128u);
  EXPECT_EQ(std::string(h.begin(), h.end()), numpyFile.substr(0, 128));
  // 1-D shapes keep their trailing comma, scalars are ().
  std::vector<uint8_t> one = encodeNpyHeader(DType::i64, {7});
  EXPECT_NE(std::string(one.begin(), one.end()).find("'shape': (7,)"), std::string::npos);
  std::vector<uint8_t> none = encodeNpyHeader(DType::b8, {});
  EXPECT_NE(std::string(none.begin(), none.end()).find("'descr': '|b1', 'fortran_order': False, 'shape': ()"),
            std::string::npos);
  std::vector<uint8_t> bytes = encodeNpyHeader(DType::i32, {2});
  int32_t data[2] = {5, -6};
  bytes.insert(bytes.end(), reinterpret_cast<uint8_t*>(data), reinterpret_cast<uint8_t*>(data) + 8);
  HostTensor t = decodeNpy("mem", bytes.data(), bytes.size());
  EXPECT_EQ(values<int32_t>(t), (std::vector<int32_t>{5, -6}));
}

TEST(Inputs, PolygraphyJsonUsesIteration0) {
  auto v = readInputs({fixture("inputs.json")});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].name, "x");
  EXPECT_EQ(values<float>(v[0])[1], 0.25f);  // iteration 1 holds zeros
  EXPECT_EQ(v[1].name, "ids");
  EXPECT_EQ(values<int64_t>(v[1])[3], 2147483647);
}

TEST(Inputs, FileWrittenByPolygraphyItself) {
  auto v = readInputs({fixture("inputs_polygraphy.json")});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values<float>(v[0])[5], 1.25f);
  EXPECT_EQ(v[1].dtype, DType::i64);
}

TEST(Inputs, OlderLazyArrayForm) {
  auto v = readInputs({fixture("inputs_lazy.json")});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].name, "mask");
  EXPECT_EQ(v[0].dtype, DType::b8);
  EXPECT_EQ(values<uint8_t>(v[0]), (std::vector<uint8_t>{1, 0, 1}));
}

TEST(Inputs, NpzStoredAndCompressed) {
  for (const char* f : {"inputs.npz", "inputs_compressed.npz"}) {
    auto v = readInputs({fixture(f)});
    ASSERT_EQ(v.size(), 2u) << f;
    EXPECT_EQ(v[0].name, "x") << f;
    EXPECT_EQ(values<float>(v[0])[4], 1.0f) << f;
    EXPECT_EQ(v[1].name, "ids") << f;
    EXPECT_EQ(values<int64_t>(v[1])[0], -3) << f;
  }
}

TEST(Inputs, SeveralSpecsCombineAndDuplicatesFail) {
  auto v = readInputs({"a=" + fixture("u8.npy"), "b=" + fixture("b8.npy")});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].name, "b");
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({fixture("inputs.npz"), "x=" + fixture("f32.npy")}); }), "input 'x' is given more than once"));
}

TEST(Inputs, BadFilesGetOneLineErrorsNamingTheFile) {
  TempDir tmp;
  std::string msg = errorOf(ErrorClass::badInput, [&] { readInputs({tmp.file("missing.json")}); });
  EXPECT_TRUE(contains(msg, "missing.json"));
  EXPECT_TRUE(contains(msg, "No such file"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({fixture("inputs_empty.json")}); }), "inputs list is empty"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({fixture("inputs_not_array.json")}); }), "input 'x' is not a Polygraphy ndarray"));
  writeText(tmp.file("broken.json"), "[{\"x\": ");
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { readInputs({tmp.file("broken.json")}); }), "broken.json: not valid JSON"));
  writeText(tmp.file("dict.json"), "{\"x\": 1}");
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { readInputs({tmp.file("dict.json")}); }), "a JSON list of feed dicts"));
  writeText(tmp.file("b64.json"), "[{\"x\": {\"array\": \"ab$d\", \"polygraphy_class\": \"ndarray\"}}]");
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { readInputs({tmp.file("b64.json")}); }), "invalid base64 character at offset 2"));
  writeText(tmp.file("notzip.npz"), "this is not a zip archive at all");
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { readInputs({tmp.file("notzip.npz")}); }), "notzip.npz: not a zip archive"));
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [] { readInputs({"plain.bin"}); }), "expected a .json (Polygraphy inputs), a .npz, or NAME=FILE.npy"));
  EXPECT_EQ(msg.find('\n'), std::string::npos);
}

TEST(Inputs, NarrowInt64ToInt32) {
  HostTensor t = readOne("ids=" + fixture("i64.npy"));
  narrowInt64ToInt32(t);
  EXPECT_EQ(t.dtype, DType::i32);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values<int32_t>(t), (std::vector<int32_t>{-3, 0, 7, 2147483647}));

  auto big = readInputs({fixture("inputs_big_int.json")});
  std::string msg = errorOf(ErrorClass::badInput, [&] { narrowInt64ToInt32(big.at(0)); });
  EXPECT_EQ(msg, "input 'ids': int64 value 1099511627776 at flat index 1 does not fit in int32 "
                 "(TensorRT runs int64 inputs as int32)");
  EXPECT_EQ(big.at(0).dtype, DType::i64);  // left as it was

  HostTensor f = readOne("x=" + fixture("f32.npy"));
  auto before = f.data;
  narrowInt64ToInt32(f);  // other dtypes untouched
  EXPECT_EQ(f.data, before);
}

TEST(Npy, HugeShapeInACorruptHeaderIsAnError) {
  std::vector<uint8_t> bytes = encodeNpyHeader(DType::f32, {int64_t(1) << 62, 1 << 20});
  bytes.insert(bytes.end(), 16, 0);
  EXPECT_TRUE(contains(errorOf(ErrorClass::badInput, [&] { decodeNpy("huge", bytes.data(), bytes.size()); }),
                       "huge: npy shape needs more bytes than the 16 the file holds"));
}

TEST(Inputs, CorruptNpzAndNpyNeverCrash) {
  TempDir tmp;
  for (const char* name : {"inputs.npz", "inputs_compressed.npz", "f32.npy"}) {
    std::string bytes = readText(fixture(name));
    bool npz = std::string(name).find(".npz") != std::string::npos;
    std::string path = tmp.file(npz ? "c.npz" : "c.npy");
    std::string spec = npz ? path : "x=" + path;
    for (size_t n = 0; n < bytes.size(); n += 7) {
      writeText(path, bytes.substr(0, n));
      try {
        readInputs({spec});
      } catch (const HelperError& e) {
        EXPECT_EQ(e.cls, ErrorClass::badInput) << name << " cut at " << n;
        EXPECT_TRUE(contains(e.what(), path)) << e.what();
      }
    }
    uint32_t seed = 99;
    for (int i = 0; i < 300; ++i) {
      std::string m = bytes;
      seed = seed * 1664525u + 1013904223u;
      m[seed % m.size()] ^= char(1u << ((seed >> 16) % 8));
      writeText(path, m);
      try {
        readInputs({spec});
      } catch (const HelperError& e) {
        EXPECT_EQ(e.cls, ErrorClass::badInput) << name;
      }
    }
  }
}
