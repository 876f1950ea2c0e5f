// What the helper needs from the ONNX file before TensorRT sees it, read straight from the protobuf wire format:
// opsets (to say "opset 18 is newer than TensorRT 8.6 supports"), node names by index (parser errors give an
// index), and external-data locations (for the cache key). Field numbers from onnx.proto.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace oi {

struct OnnxSummary {
  int64_t irVersion = 0;
  std::map<std::string, int64_t> opsets;  // domain ("" = ai.onnx) -> version
  std::vector<std::string> nodeNames;     // main graph, in file order ("" when unnamed)
  std::vector<std::string> nodeOps;
  std::vector<std::string> externalDataLocations;  // distinct, as written in the model
};

/** Throws HelperError(bad-input) when the bytes are not an ONNX model. */
OnnxSummary scanOnnx(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> readFileBytes(const std::string& path);  // throws HelperError(bad-input)
/** readFileBytes + scanOnnx, with the path in the error ("m.onnx: not an ONNX model (...)"). */
OnnxSummary scanOnnxFile(const std::string& path);

/** Highest ai.onnx opset the ONNX parser of this TensorRT major supports (8 -> 17, 10 -> 20, 11 -> 22). */
int64_t maxSupportedOpset(int tensorrtMajor, int tensorrtMinor);

}  // namespace oi
