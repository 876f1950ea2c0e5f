// The JSON lines on stdout (PROTOCOL.md). One mutex: the debug-tensor listener may write from another thread.
#pragma once
#include <optional>
#include <string>
#include <vector>
#include "errors.h"
#include "json.h"

namespace oi {

struct FusedTensor {
  std::string tensor;
  std::optional<std::string> layer;  // engine layer that absorbed it; nullopt when none was found
};

struct SkippedTensor {
  std::string name;
  std::string reason;
};

struct RunResultEvent {
  std::string runnerName;
  std::string resultsPath;
  std::string layerInfoPath;
  std::vector<std::string> captured;
  std::vector<SkippedTensor> skipped;
  std::vector<FusedTensor> fused;
  bool engineCached = false;
  std::vector<std::pair<std::string, double>> timings;  // stage -> seconds, in order
  std::vector<std::string> notes;
  double peakRssMiB = 0;  // the process's peak resident memory so far (0: unknown)
};

/** getrusage's peak resident set size of this process, in MiB (Linux reports KiB). */
double peakRssMiB();

class Emitter {
 public:
  /** id: the serve-mode request id, or nullopt for one-shot commands. Writes to stdout, flushed per line. */
  explicit Emitter(std::optional<int64_t> id = std::nullopt) : id_(id) {}
  void progress(const std::string& stage, const std::string& state, std::optional<double> seconds = std::nullopt,
                std::optional<int64_t> done = std::nullopt, std::optional<int64_t> total = std::nullopt) const;
  void log(const std::string& level, const std::string& message) const;
  void result(const RunResultEvent& r) const;
  void error(const HelperError& e) const;
  void raw(json::Value event) const;  // adds "id" when set

 private:
  std::optional<int64_t> id_;
};

json::Value fusedToJson(const std::vector<FusedTensor>& fused);
json::Value skippedToJson(const std::vector<SkippedTensor>& skipped);

}  // namespace oi
