#include "trt/trt_util.h"

#include <limits>

#include "common/errors.h"

namespace oi::trt {

using nvinfer1::DataType;

std::string dataTypeName(DataType t) {
  switch (t) {
    case DataType::kFLOAT: return "float32";
    case DataType::kHALF: return "float16";
    case DataType::kINT8: return "int8";
    case DataType::kINT32: return "int32";
    case DataType::kBOOL: return "bool";
    case DataType::kUINT8: return "uint8";
    case DataType::kFP8: return "fp8";
#if NV_TENSORRT_MAJOR >= 10
    case DataType::kBF16: return "bfloat16";
    case DataType::kINT64: return "int64";
    case DataType::kINT4: return "int4";
    case DataType::kFP4: return "fp4";
    case DataType::kE8M0: return "e8m0";
#endif
    default: break;
  }
  return "type " + std::to_string(static_cast<int>(t));
}

std::optional<DType> toDType(DataType t) {
  switch (t) {
    case DataType::kFLOAT: return DType::f32;
    case DataType::kHALF: return DType::f16;
    case DataType::kINT8: return DType::i8;
    case DataType::kINT32: return DType::i32;
    case DataType::kBOOL: return DType::b8;
    case DataType::kUINT8: return DType::u8;
#if NV_TENSORRT_MAJOR >= 10
    case DataType::kBF16: return DType::bf16;
    case DataType::kINT64: return DType::i64;
#endif
    default: break;
  }
  return std::nullopt;
}

bool isFloat(DataType t) {
#if NV_TENSORRT_MAJOR >= 10
  if (t == DataType::kBF16) return true;
#endif
  return t == DataType::kFLOAT || t == DataType::kHALF;
}

size_t storageBytes(DataType t, int64_t count) {
  if (count <= 0) return 0;
  const auto n = static_cast<size_t>(count);
  switch (t) {
    case DataType::kFLOAT:
    case DataType::kINT32: return n * 4;
    case DataType::kHALF: return n * 2;
    case DataType::kINT8:
    case DataType::kBOOL:
    case DataType::kUINT8:
    case DataType::kFP8: return n;
#if NV_TENSORRT_MAJOR >= 10
    case DataType::kBF16: return n * 2;
    case DataType::kINT64: return n * 8;
    case DataType::kINT4:
    case DataType::kFP4: return (n + 1) / 2;
    case DataType::kE8M0: return n;
#endif
    default: break;
  }
  return n * 4;  // unknown future type: generous
}

std::vector<int64_t> fromDims(const nvinfer1::Dims& d) {
  std::vector<int64_t> s;
  for (int32_t i = 0; i < d.nbDims; ++i) s.push_back(static_cast<int64_t>(d.d[i]));
  return s;
}

nvinfer1::Dims toDims(const std::vector<int64_t>& shape, const std::string& what) {
  nvinfer1::Dims d{};
  if (shape.size() > static_cast<size_t>(nvinfer1::Dims::MAX_DIMS)) {
    throw HelperError(ErrorClass::badInput, what + " has rank " + std::to_string(shape.size()) +
                                                ": TensorRT allows at most " +
                                                std::to_string(nvinfer1::Dims::MAX_DIMS) + " dimensions");
  }
  d.nbDims = static_cast<int32_t>(shape.size());
  using Elem = std::remove_reference_t<decltype(d.d[0])>;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0 || shape[i] > static_cast<int64_t>(std::numeric_limits<Elem>::max())) {
      throw HelperError(ErrorClass::badInput, what + " has dimension " + std::to_string(shape[i]) +
                                                  " that TensorRT cannot take");
    }
    d.d[i] = static_cast<Elem>(shape[i]);
  }
  return d;
}

int64_t volume(const nvinfer1::Dims& d) {
  if (d.nbDims < 0) return -1;
  int64_t v = 1;
  for (int32_t i = 0; i < d.nbDims; ++i) {
    if (d.d[i] < 0) return -1;
    v *= static_cast<int64_t>(d.d[i]);
  }
  return v;
}

std::string shapeText(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
  return t + "]";
}

std::string dimsText(const nvinfer1::Dims& d) { return d.nbDims < 0 ? "[unknown rank]" : shapeText(fromDims(d)); }

}  // namespace oi::trt
