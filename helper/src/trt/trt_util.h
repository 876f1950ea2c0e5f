// Small TensorRT helpers shared by the run: owners, element types, Dims, version-dependent spellings.
#pragma once
#include <NvInfer.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"

namespace oi::trt {

/** TensorRT objects are deleted with `delete` (8.0+; destroy() is deprecated). */
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    delete p;
  }
};
template <typename T>
using Ptr = std::unique_ptr<T, Deleter>;

/** "float32", "int64", ... for messages. */
std::string dataTypeName(nvinfer1::DataType t);
/** The results-file element type, nullopt for types numpy cannot hold (fp8, int4, ...). */
std::optional<DType> toDType(nvinfer1::DataType t);
/** Bytes of `count` elements (int4/fp4 are packed two to a byte). */
size_t storageBytes(nvinfer1::DataType t, int64_t count);
bool isFloat(nvinfer1::DataType t);

std::vector<int64_t> fromDims(const nvinfer1::Dims& d);
/** Throws HelperError(bad-input) naming `what` when the rank or a dimension does not fit. */
nvinfer1::Dims toDims(const std::vector<int64_t>& shape, const std::string& what);
/** Element count; -1 when a dimension is unknown (< 0). */
int64_t volume(const nvinfer1::Dims& d);
std::string dimsText(const nvinfer1::Dims& d);
std::string shapeText(const std::vector<int64_t>& s);

}  // namespace oi::trt
