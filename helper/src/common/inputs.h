// Inputs from the files our onnxruntime runs read and write: Polygraphy inputs JSON, .npz, NAME=FILE.npy.
#pragma once
#include <string>
#include <vector>
#include "tensor.h"

namespace oi {

/** Throws HelperError(bad-input) naming the file and what is wrong. */
std::vector<HostTensor> readInputs(const std::vector<std::string>& specs);
/** int64 -> int32 in place; throws HelperError(bad-input) naming the input and the first value that does not fit. */
void narrowInt64ToInt32(HostTensor& t);

/** npy bytes <-> tensor (used by the JSON files, .npz and .npy). */
HostTensor decodeNpy(const std::string& name, const uint8_t* bytes, size_t size);
std::vector<uint8_t> encodeNpyHeader(DType dtype, const std::vector<int64_t>& shape);

}  // namespace oi
