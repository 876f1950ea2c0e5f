// Streams a Polygraphy RunResults file, tensor by tensor, to PATH.partial and renames it on finish(): a cancelled or
// failed run leaves no results file. The layout matches what src/backends/results reads and Polygraphy writes.
#pragma once
#include <cstdio>
#include <string>
#include <vector>
#include "tensor.h"

namespace oi {

class ResultsWriter {
 public:
  ResultsWriter(std::string path, std::string runnerName);  // throws HelperError(write)
  ~ResultsWriter();                                          // abort() unless finished
  /** bf16 data is widened to float32 (numpy has no bf16). */
  void add(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* data, size_t bytes);
  void add(const HostTensor& t) { add(t.name, t.dtype, t.shape, t.data.data(), t.data.size()); }
  void finish(double runtimeSeconds);
  void abort();  // removes the partial file; idempotent
  /** Registers the partial file for removal from a signal handler (see cancel.h). */
  const std::string& partialPath() const { return partial_; }

 private:
  std::string path_, partial_, runner_;
  FILE* f_ = nullptr;
  bool first_ = true, done_ = false;
};

}  // namespace oi
