// Host-side tensors and their element types, as numpy names them (the results files are npy inside JSON).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace oi {

enum class DType { f32, f16, bf16, f64, i8, u8, i32, i64, b8 };

/** Bytes per element. */
size_t dtypeSize(DType t);
/** numpy's descr: "<f4", "<f2", "<i8", "|b1", ...; bf16 has none in numpy and is written widened to "<f4". */
std::string npyDescr(DType t);
/** Parses a numpy descr ("<f4", "|u1", "<i8", ...); throws HelperError(bad-input) for others. */
DType dtypeFromDescr(const std::string& descr);
const char* dtypeName(DType t);  // "float32", "int64", ...

struct HostTensor {
  std::string name;
  DType dtype = DType::f32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  // row-major, little-endian
  size_t elementCount() const;
};

}  // namespace oi
