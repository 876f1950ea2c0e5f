// TensorRT reached through dlopen: the handles come from oi::loadTensorrt (core), the entry points the inline
// createInferBuilder/createInferRuntime/createParser would call are resolved here, with the header's version numbers.
#pragma once
#include <NvInfer.h>
#include <NvOnnxParser.h>

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "common/events.h"
#include "common/locate.h"

namespace oi {

/** Forwards TensorRT's warnings and errors as `log` events of the current run, writes info and above to stderr
 *  (verbose too when ONNX_INSPECTOR_TRT_VERBOSE=1), and keeps the last errors for error messages. */
class TrtLogger : public nvinfer1::ILogger {
 public:
  void log(Severity severity, nvinfer1::AsciiChar const* msg) noexcept override;
  /** The emitter of the run in progress (nullptr: stderr only). */
  void setEmitter(const Emitter* e);
  void clearErrors();
  /** The errors logged since clearErrors(), oldest first (at most 32). */
  std::vector<std::string> errors() const;
  /** "; "-joined errors, or `fallback` when there were none. */
  std::string errorText(const std::string& fallback) const;

 private:
  mutable std::mutex mutex_;
  const Emitter* emitter_ = nullptr;
  std::deque<std::string> errors_;
};

class TrtApi {
 public:
  /** Loads TensorRT once per process (later calls return the same); throws HelperError(no-tensorrt). */
  static TrtApi& get(const LocateOptions& locate);

  const LoadedTensorrt& lib() const { return lib_; }
  TrtLogger& logger() { return logger_; }
  int libVersion() const { return libVersion_; }

  /** Each throws HelperError with TensorRT's own error text when TensorRT returns nullptr. */
  nvinfer1::IBuilder* createBuilder();
  nvinfer1::IRuntime* createRuntime();
  /** One runtime for the process (created on first use, kept: serve mode deserializes every engine with it). */
  nvinfer1::IRuntime& runtime();
  /** One builder for the process: creating one loads TensorRT's builder resources (~7 s with 8.6), so serve mode
   *  keeps it; each run makes its own network, parser and config from it. */
  nvinfer1::IBuilder& builder();
  nvonnxparser::IParser* createParser(nvinfer1::INetworkDefinition& network);

 private:
  TrtApi() = default;
  LoadedTensorrt lib_;
  TrtLogger logger_;
  int libVersion_ = 0;
  nvinfer1::IRuntime* runtime_ = nullptr;
  nvinfer1::IBuilder* builder_ = nullptr;  // never deleted, like the runtime  // never deleted: engines may outlive a run's scope until exit
  void* (*createBuilder_)(void*, int32_t) = nullptr;
  void* (*createRuntime_)(void*, int32_t) = nullptr;
  void* (*createParser_)(void*, void*, int32_t) = nullptr;
};

/** "8.6.0" of the headers this binary was compiled with. */
std::string compiledTensorrtVersion();

}  // namespace oi
