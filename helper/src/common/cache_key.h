// The engine cache key (PROTOCOL.md): SHA-256 over everything that changes the engine.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "options.h"

namespace oi {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t n);
  void update(const std::string& s) { update(s.data(), s.size()); }
  std::string hexDigest();  // finishes; 64 lowercase hex chars
 private:
  uint32_t h_[8];
  uint8_t buf_[64];
  uint64_t len_ = 0;
  size_t fill_ = 0;
  void block(const uint8_t* p);
};

struct CacheKeyInputs {
  std::string modelPath;                  // its bytes are hashed
  std::vector<std::string> externalFiles; // their bytes are hashed, in this order
  std::string tensorrtVersion;
  std::string gpu;                        // name and compute capability
  std::string captureMode;                // "mark" / "debug"
  std::vector<std::string> captured;      // the names marked
  RunOptions options;                     // build options only are used (precision flags, workspace, tactics)
};
std::string engineCacheKey(const CacheKeyInputs& k);
/** $XDG_CACHE_HOME/onnx-inspector/trt-engines, else $HOME/.cache/onnx-inspector/trt-engines. */
std::string defaultCacheDir();

}  // namespace oi
