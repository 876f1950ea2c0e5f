// Failure classes, their exit codes (PROTOCOL.md) and the one exception type that carries them to the event line.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace oi {

enum class ErrorClass { internal, usage, noTensorrt, noGpu, parse, unsupportedOpset, build, buildTimeout, run, badInput, write, cancelled };

/** "usage", "no-tensorrt", ... as in PROTOCOL.md. */
const char* errorClassName(ErrorClass c);
/** 1, 2, 3, ... as in PROTOCOL.md (cancelled: 143). */
int exitCodeOf(ErrorClass c);

/** One place TensorRT was looked for, and why it was not used. */
struct SearchEntry {
  std::string path;
  std::string reason;
};

class HelperError : public std::runtime_error {
 public:
  HelperError(ErrorClass cls, const std::string& message, std::string node = {}, std::vector<SearchEntry> searched = {})
      : std::runtime_error(message), cls(cls), node(std::move(node)), searched(std::move(searched)) {}
  ErrorClass cls;
  std::string node;                   // ONNX node name, empty if none
  std::vector<SearchEntry> searched;  // for no-tensorrt
};

}  // namespace oi
