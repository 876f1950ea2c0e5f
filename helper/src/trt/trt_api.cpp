#include "trt/trt_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <memory>

#include "common/errors.h"
#include "trt/log.h"

namespace oi {

// ---- logger ----

void TrtLogger::log(Severity severity, nvinfer1::AsciiChar const* msg) noexcept {
  try {
    std::string text = msg ? msg : "";
    const char* tag = "verbose";
    switch (severity) {
      case Severity::kINTERNAL_ERROR: tag = "internal error"; break;
      case Severity::kERROR: tag = "error"; break;
      case Severity::kWARNING: tag = "warning"; break;
      case Severity::kINFO: tag = "info"; break;
      default: break;
    }
    static const bool verbose = [] {
      const char* v = std::getenv("ONNX_INSPECTOR_TRT_VERBOSE");
      return v && *v && std::string(v) != "0";
    }();
    if (severity <= Severity::kINFO || verbose) logInfo(std::string("TensorRT ") + tag + ": " + text);
    const Emitter* emitter = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (severity <= Severity::kERROR) {
        errors_.push_back(text);
        while (errors_.size() > 32) errors_.pop_front();
      }
      emitter = emitter_;
    }
    if (emitter && severity <= Severity::kWARNING) {
      emitter->log(severity <= Severity::kERROR ? "error" : "warning", "TensorRT: " + text);
    }
  } catch (...) {
    // a logger must not throw into TensorRT
  }
}

void TrtLogger::setEmitter(const Emitter* e) {
  std::lock_guard<std::mutex> lock(mutex_);
  emitter_ = e;
}

void TrtLogger::clearErrors() {
  std::lock_guard<std::mutex> lock(mutex_);
  errors_.clear();
}

std::vector<std::string> TrtLogger::errors() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {errors_.begin(), errors_.end()};
}

std::string TrtLogger::errorText(const std::string& fallback) const {
  auto errs = errors();
  if (errs.empty()) return fallback;
  std::string s;
  for (const auto& e : errs) {
    if (!s.empty()) s += "; ";
    s += e;
  }
  return s;
}

// ---- library ----

std::string compiledTensorrtVersion() {
  return std::to_string(NV_TENSORRT_MAJOR) + "." + std::to_string(NV_TENSORRT_MINOR) + "." +
         std::to_string(NV_TENSORRT_PATCH);
}

namespace {
std::mutex gApiMutex;
std::unique_ptr<TrtApi> gApi;

void* requireSymbol(void* handle, const char* name, const std::string& libName, const std::string& dir) {
  dlerror();
  void* p = dlsym(handle, name);
  if (!p) {
    const char* e = dlerror();
    throw HelperError(ErrorClass::noTensorrt, libName + " in " + (dir.empty() ? "the loader path" : dir) +
                                                  " has no " + name + (e ? std::string(" (") + e + ")" : ""));
  }
  return p;
}
}  // namespace

TrtApi& TrtApi::get(const LocateOptions& locate) {
  std::lock_guard<std::mutex> lock(gApiMutex);
  if (gApi) return *gApi;
  std::unique_ptr<TrtApi> api(new TrtApi());
  logInfo("tensorrt: looking for libnvinfer.so." + std::to_string(NV_TENSORRT_MAJOR) +
          " (this helper was compiled with TensorRT " + compiledTensorrtVersion() + " headers)");
  api->lib_ = loadTensorrt(NV_TENSORRT_MAJOR, locate, systemEnvironment(), systemLoader());
  const std::string major = std::to_string(NV_TENSORRT_MAJOR);
  const std::string& dir = api->lib_.dir;
  logInfo("tensorrt: loaded TensorRT " + api->lib_.version() + " from " + (dir.empty() ? "the loader path" : dir) +
          " (" + api->lib_.origin + ")");
  auto getVersion = reinterpret_cast<int32_t (*)()>(
      requireSymbol(api->lib_.nvinfer, "getInferLibVersion", "libnvinfer.so." + major, dir));
  api->libVersion_ = getVersion();
  api->createBuilder_ = reinterpret_cast<void* (*)(void*, int32_t)>(
      requireSymbol(api->lib_.nvinfer, "createInferBuilder_INTERNAL", "libnvinfer.so." + major, dir));
  api->createRuntime_ = reinterpret_cast<void* (*)(void*, int32_t)>(
      requireSymbol(api->lib_.nvinfer, "createInferRuntime_INTERNAL", "libnvinfer.so." + major, dir));
  api->createParser_ = reinterpret_cast<void* (*)(void*, void*, int32_t)>(
      requireSymbol(api->lib_.onnxparser, "createNvOnnxParser_INTERNAL", "libnvonnxparser.so." + major, dir));
  logInfo("tensorrt: getInferLibVersion() = " + std::to_string(api->libVersion_) + ", headers' NV_TENSORRT_VERSION = " +
          std::to_string(static_cast<long>(NV_TENSORRT_VERSION)));
  gApi = std::move(api);
  return *gApi;
}

nvinfer1::IBuilder* TrtApi::createBuilder() {
  logger_.clearErrors();
  auto* b = static_cast<nvinfer1::IBuilder*>(createBuilder_(&logger_, static_cast<int32_t>(NV_TENSORRT_VERSION)));
  if (!b) {
    throw HelperError(ErrorClass::build,
                      "TensorRT could not create a builder: " + logger_.errorText("createInferBuilder returned null"));
  }
  return b;
}

nvinfer1::IRuntime* TrtApi::createRuntime() {
  logger_.clearErrors();
  auto* r = static_cast<nvinfer1::IRuntime*>(createRuntime_(&logger_, static_cast<int32_t>(NV_TENSORRT_VERSION)));
  if (!r) {
    throw HelperError(ErrorClass::run,
                      "TensorRT could not create a runtime: " + logger_.errorText("createInferRuntime returned null"));
  }
  return r;
}

nvinfer1::IRuntime& TrtApi::runtime() {
  if (!runtime_) {
    logInfo("tensorrt: creating the runtime");
    runtime_ = createRuntime();
    logInfo("tensorrt: runtime ready");
  }
  return *runtime_;
}

nvinfer1::IBuilder& TrtApi::builder() {
  if (!builder_) {
    logInfo("tensorrt: creating the builder (loads TensorRT's builder resources: seconds, once per process)");
    builder_ = createBuilder();
    logInfo("tensorrt: builder ready");
  }
  return *builder_;
}

nvonnxparser::IParser* TrtApi::createParser(nvinfer1::INetworkDefinition& network) {
  logger_.clearErrors();
  auto* p = static_cast<nvonnxparser::IParser*>(createParser_(&network, &logger_, NV_ONNX_PARSER_VERSION));
  if (!p) {
    throw HelperError(ErrorClass::parse,
                      "TensorRT could not create an ONNX parser: " + logger_.errorText("createNvOnnxParser returned null"));
  }
  return p;
}

}  // namespace oi
