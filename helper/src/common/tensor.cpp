#include "tensor.h"

#include "errors.h"

namespace oi {

size_t dtypeSize(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::f16: return 2;
    case DType::bf16: return 2;
    case DType::f64: return 8;
    case DType::i8: return 1;
    case DType::u8: return 1;
    case DType::i32: return 4;
    case DType::i64: return 8;
    case DType::b8: return 1;
  }
  return 1;
}

std::string npyDescr(DType t) {
  switch (t) {
    case DType::f32: return "<f4";
    case DType::f16: return "<f2";
    case DType::bf16: return "<f4";  // widened: numpy has no bfloat16
    case DType::f64: return "<f8";
    case DType::i8: return "|i1";
    case DType::u8: return "|u1";
    case DType::i32: return "<i4";
    case DType::i64: return "<i8";
    case DType::b8: return "|b1";
  }
  return "<f4";
}

DType dtypeFromDescr(const std::string& descr) {
  // Single-byte types may be written with any byte-order mark; wider ones must be little-endian.
  if (descr.size() == 3) {
    char order = descr[0];
    std::string code = descr.substr(1);
    bool oneByte = code == "i1" || code == "u1" || code == "b1";
    if (oneByte && (order == '|' || order == '<' || order == '>' || order == '=')) {
      if (code == "i1") return DType::i8;
      if (code == "u1") return DType::u8;
      return DType::b8;
    }
    if (order == '<' || order == '=') {
      if (code == "f4") return DType::f32;
      if (code == "f2") return DType::f16;
      if (code == "f8") return DType::f64;
      if (code == "i4") return DType::i32;
      if (code == "i8") return DType::i64;
    }
    if (order == '>' && !oneByte)
      throw HelperError(ErrorClass::badInput, "npy dtype '" + descr + "' is big-endian; only little-endian arrays are supported");
  }
  throw HelperError(ErrorClass::badInput, "npy dtype '" + descr +
                                              "' is not supported (float32, float16, float64, int8, uint8, int32, int64, bool)");
}

const char* dtypeName(DType t) {
  switch (t) {
    case DType::f32: return "float32";
    case DType::f16: return "float16";
    case DType::bf16: return "bfloat16";
    case DType::f64: return "float64";
    case DType::i8: return "int8";
    case DType::u8: return "uint8";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::b8: return "bool";
  }
  return "?";
}

size_t HostTensor::elementCount() const {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

}  // namespace oi
