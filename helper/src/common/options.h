// The helper's command line and serve-mode requests, parsed into one shape (PROTOCOL.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "json.h"

namespace oi {

struct LocateOptions {
  std::optional<std::string> tensorrtLibDir;  // --tensorrt-lib-dir
  std::optional<std::string> python;          // --python
};

enum class CaptureMode { automatic, mark, debug };  // automatic: debug on 10+, mark on 8

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;  // --inputs values: a .json / .npz path, or NAME=FILE.npy
  std::string saveResults;
  std::string capture = "all";      // "all", "outputs", or a comma list of names
  CaptureMode captureMode = CaptureMode::automatic;
  bool fp16 = false, bf16 = false, int8 = false, tf32 = false, obeyPrecision = false;
  int64_t workspaceMiB = 4096;
  std::string tacticSources = "default";
  std::optional<std::string> runnerName;
  std::optional<std::string> layerInfo;
  std::optional<std::string> cacheDir;
  bool noCache = false;
  double buildTimeoutSec = 1800;
};

struct Command {
  enum class Kind { version, run, serve } kind = Kind::version;
  bool json = false;  // --version --json
  LocateOptions locate;
  RunOptions run;
};

/** Throws HelperError(usage) with a one-line reason. */
Command parseCommandLine(const std::vector<std::string>& args);
/** Serve mode's "params" of a run request; throws HelperError(usage). */
RunOptions runOptionsFromJson(const json::Value& params);
/** OUT.json -> OUT.layers.json */
std::string defaultLayerInfoPath(const std::string& saveResults);
std::string usageText();

}  // namespace oi
