#include "trt/trt_run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "common/cache_key.h"
#include "common/cancel.h"
#include "common/errors.h"
#include "common/fusion.h"
#include "common/inputs.h"
#include "common/json.h"
#include "common/onnx_scan.h"
#include "common/results_writer.h"
#include "trt/cuda_driver.h"
#include "trt/log.h"
#include "trt/trt_api.h"
#include "trt/trt_capture.h"
#include "trt/trt_util.h"

namespace oi {

using nvinfer1::DataType;
using trt::Ptr;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// small things

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string dirOf(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool fileExists(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/** mkdir -p; false when it cannot be made. */
bool makeDirs(const std::string& dir) {
  if (dir.empty()) return false;
  std::string cur;
  std::stringstream ss(dir);
  std::string part;
  if (dir[0] == '/') cur = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    cur += part + "/";
    if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  struct stat st {};
  return stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string readText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/** Writes PATH.partial and renames it; throws std::runtime_error with errno text. */
void writeFileAtomically(const std::string& path, const void* data, size_t size) {
  const std::string partial = path + ".partial";
  registerPartialFile(partial);
  FILE* f = std::fopen(partial.c_str(), "wb");
  if (!f) {
    unregisterPartialFile(partial);
    throw std::runtime_error("cannot write " + partial + ": " + std::strerror(errno));
  }
  const bool ok = std::fwrite(data, 1, size, f) == size;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed || std::rename(partial.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(partial.c_str());
    unregisterPartialFile(partial);
    throw std::runtime_error("cannot write " + path + ": " + why);
  }
  unregisterPartialFile(partial);
}

/** TensorRT's inspector JSON has raw control characters inside strings (8.6 separates the ONNX layers of a fused
 *  layer's "Metadata" with \x1e): escape them so a strict JSON parser reads it. */
std::string escapeControlCharacters(const char* text) {
  std::string out;
  bool inString = false, escaped = false;
  for (const char* p = text; *p; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
        continue;
      }
    } else if (c == '"') {
      inString = true;
    }
    out += static_cast<char>(c);
  }
  return out;
}

const char* modeName(CaptureMode m) { return m == CaptureMode::debug ? "debug" : "mark"; }

/** Tactic sources: default / all / a list. Returns the mask and the names, throws HelperError(usage). */
std::pair<nvinfer1::TacticSources, std::vector<std::string>> tacticSources(const std::string& spec) {
  using nvinfer1::TacticSource;
  struct Known {
    const char* name;
    int value;  // -1: not in this TensorRT
  };
  const std::vector<Known> known = {
#if NV_TENSORRT_MAJOR < 11
      {"cublas", static_cast<int>(TacticSource::kCUBLAS)},
      {"cublaslt", static_cast<int>(TacticSource::kCUBLAS_LT)},
      {"cudnn", static_cast<int>(TacticSource::kCUDNN)},
#else
      {"cublas", -1},
      {"cublaslt", -1},
      {"cudnn", -1},
#endif
      {"edge-mask-convolutions", static_cast<int>(TacticSource::kEDGE_MASK_CONVOLUTIONS)},
      {"jit-convolutions", static_cast<int>(TacticSource::kJIT_CONVOLUTIONS)},
  };
  std::vector<std::string> names;
  if (spec.empty() || spec == "default") {
    names = {"edge-mask-convolutions", "jit-convolutions"};
  } else if (spec == "all") {
    for (const auto& k : known)
      if (k.value >= 0) names.emplace_back(k.name);
  } else {
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ',')) {
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) names.push_back(lower(item));
    }
  }
  nvinfer1::TacticSources mask = 0;
  for (const auto& n : names) {
    auto it = std::find_if(known.begin(), known.end(), [&](const Known& k) { return n == k.name; });
    if (it == known.end()) {
      throw HelperError(ErrorClass::usage, "--tactic-sources: unknown source '" + n +
                                               "' (known: default, all, cublas, cublaslt, cudnn, "
                                               "edge-mask-convolutions, jit-convolutions)");
    }
    if (it->value < 0) {
      throw HelperError(ErrorClass::usage, "--tactic-sources: TensorRT " + std::to_string(NV_TENSORRT_MAJOR) +
                                               " has no '" + n + "' tactic source");
    }
    mask |= 1U << static_cast<uint32_t>(it->value);
  }
  return {mask, names};
}

// ---------------------------------------------------------------------------------------------------------------
// build watchdog: TensorRT's build cannot be interrupted (8.x has no progress monitor), so a thread waits for the
// timeout and then reports it, removes the partial files and ends the process with exit code 9.

class BuildWatchdog {
 public:
  BuildWatchdog(double seconds, const Emitter& emit, std::vector<std::string> cleanup)
      : emit_(emit), cleanup_(std::move(cleanup)) {
    if (!(seconds > 0)) return;
    thread_ = std::thread([this, seconds] {
      std::unique_lock<std::mutex> lock(mutex_);
      const bool stopped =
          cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return stop_; });
      if (stopped) return;
      std::ostringstream msg;
      msg << "the engine build took longer than " << seconds
          << " s (--build-timeout); the helper stopped it by exiting";
      logInfo("build: timeout after " + std::to_string(seconds) + " s: exiting with code 9");
      try {
        emit_.error(HelperError(ErrorClass::buildTimeout, msg.str()));
      } catch (...) {
      }
      for (const auto& p : cleanup_) ::unlink(p.c_str());
      std::fflush(stdout);
      std::fflush(stderr);
      _exit(exitCodeOf(ErrorClass::buildTimeout));
    });
  }
  ~BuildWatchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  const Emitter& emit_;
  std::vector<std::string> cleanup_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
};

/** Sets the logger's emitter for the run and clears it on every way out. */
class LoggerScope {
 public:
  LoggerScope(TrtLogger& l, const Emitter& e) : l_(l) { l_.setEmitter(&e); }
  ~LoggerScope() { l_.setEmitter(nullptr); }

 private:
  TrtLogger& l_;
};

// ---------------------------------------------------------------------------------------------------------------
// device memory

struct DeviceBuffer {
  cuda::CUdeviceptr ptr = 0;
  size_t bytes = 0;
};

class DeviceBuffers {
 public:
  explicit DeviceBuffers(cuda::Driver& d) : d_(d) {}
  ~DeviceBuffers() {
    for (auto& b : list_) d_.free(b.ptr);
  }
  DeviceBuffer& add(size_t bytes, const std::string& what) {
    DeviceBuffer b;
    b.bytes = bytes;
    b.ptr = d_.alloc(bytes, what);
    list_.push_back(b);
    return list_.back();
  }

 private:
  cuda::Driver& d_;
  std::vector<DeviceBuffer> list_;
};

/** For outputs whose shape is known only after the run (data-dependent shapes). */
class GrowingOutput : public nvinfer1::IOutputAllocator {
 public:
  GrowingOutput(cuda::Driver& d, std::string name) : d_(d), name_(std::move(name)) {}
  ~GrowingOutput() override { d_.free(ptr_); }
  void* reallocateOutput(char const* /*tensorName*/, void* currentMemory, uint64_t size,
                         uint64_t /*alignment*/) noexcept override {
    try {
      if (ptr_ && size <= bytes_) return reinterpret_cast<void*>(static_cast<uintptr_t>(ptr_));
      (void)currentMemory;
      d_.makeCurrent();  // TensorRT may call this on a thread of its own
      d_.free(ptr_);
      ptr_ = 0;
      bytes_ = 0;
      ptr_ = d_.alloc(static_cast<size_t>(size), "output " + name_);
      bytes_ = static_cast<size_t>(size);
      return reinterpret_cast<void*>(static_cast<uintptr_t>(ptr_));
    } catch (const std::exception& e) {
      error_ = e.what();
      return nullptr;
    }
  }
  void notifyShape(char const* /*tensorName*/, nvinfer1::Dims const& dims) noexcept override {
    dims_ = dims;
    shapeKnown_ = true;
  }
  cuda::CUdeviceptr ptr() const { return ptr_; }
  bool shapeKnown() const { return shapeKnown_; }
  const nvinfer1::Dims& dims() const { return dims_; }
  const std::string& error() const { return error_; }

 private:
  cuda::Driver& d_;
  std::string name_;
  cuda::CUdeviceptr ptr_ = 0;
  size_t bytes_ = 0;
  nvinfer1::Dims dims_{};
  bool shapeKnown_ = false;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------------------------
// debug tensors (TensorRT 10+)

#if NV_TENSORRT_MAJOR >= 10
class DebugCapture : public nvinfer1::IDebugListener {
 public:
  DebugCapture(cuda::Driver& d, ResultsWriter& w, const Emitter& emit, int64_t total)
      : d_(d), w_(w), emit_(emit), total_(total) {}

  bool processDebugTensor(void const* addr, nvinfer1::TensorLocation location, nvinfer1::DataType type,
                          nvinfer1::Dims const& shape, char const* name, cudaStream_t stream) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      const std::string n = name ? name : "";
      if (seen_.count(n)) {
        ++repeats_[n];
        return true;
      }
      seen_.insert(n);
      const auto dtype = trt::toDType(type);
      if (!dtype) {
        notes_.push_back("debug tensor " + n + " (" + trt::dataTypeName(type) + ") not written: numpy has no such type");
        return true;
      }
      const int64_t count = trt::volume(shape);
      if (count < 0) {
        notes_.push_back("debug tensor " + n + " has no known shape " + trt::dimsText(shape) + ": not written");
        return true;
      }
      const size_t bytes = trt::storageBytes(type, count);
      host_.resize(bytes);
      if (bytes) {
        if (location == nvinfer1::TensorLocation::kDEVICE) {
          d_.makeCurrent();  // TensorRT may call the listener on a thread of its own
          d_.synchronize(reinterpret_cast<cuda::CUstream>(stream), "debug tensor " + n);
          d_.copyToHost(host_.data(), static_cast<cuda::CUdeviceptr>(reinterpret_cast<uintptr_t>(addr)), bytes,
                        "debug tensor " + n);
        } else {
          std::memcpy(host_.data(), addr, bytes);
        }
      }
      w_.add(n, *dtype, trt::fromDims(shape), host_.data(), bytes);
      received_.push_back(n);
      emit_.progress("write", "start", std::nullopt, static_cast<int64_t>(received_.size()), total_);
      return true;
    } catch (const std::exception& e) {
      if (error_.empty()) error_ = e.what();
      return false;
    } catch (...) {
      if (error_.empty()) error_ = "unknown error in the debug listener";
      return false;
    }
  }

  std::vector<std::string> received() const { return received_; }
  std::vector<std::string> notes() const {
    auto n = notes_;
    for (const auto& r : repeats_) {
      n.push_back("debug tensor " + r.first + " was delivered " + std::to_string(r.second + 1) +
                  " times (inside a loop?): the first value is written");
    }
    return n;
  }
  const std::string& error() const { return error_; }

 private:
  cuda::Driver& d_;
  ResultsWriter& w_;
  const Emitter& emit_;
  int64_t total_;
  std::mutex mutex_;
  std::set<std::string> seen_;
  std::map<std::string, int> repeats_;
  std::vector<std::string> received_, notes_;
  std::vector<uint8_t> host_;
  std::string error_;
};
#endif

// ---------------------------------------------------------------------------------------------------------------
// inputs

/** The input as the engine takes it: int64 narrowed to int32 (8.x), int32 widened to int64 (10+ int64 inputs). */
HostTensor adaptInput(const HostTensor& in, DataType want) {
  const auto wantD = trt::toDType(want);
  if (wantD && *wantD == in.dtype) return in;
  if (want == DataType::kINT32 && in.dtype == DType::i64) {
    HostTensor t = in;
    narrowInt64ToInt32(t);
    logInfo("input " + in.name + ": int64 narrowed to int32 (the engine takes int32)");
    return t;
  }
#if NV_TENSORRT_MAJOR >= 10
  if (want == DataType::kINT64 && in.dtype == DType::i32) {
    HostTensor t = in;
    t.dtype = DType::i64;
    const size_t n = in.elementCount();
    t.data.resize(n * 8);
    for (size_t i = 0; i < n; ++i) {
      int32_t v;
      std::memcpy(&v, in.data.data() + i * 4, 4);
      const int64_t w = v;
      std::memcpy(t.data.data() + i * 8, &w, 8);
    }
    return t;
  }
#endif
  throw HelperError(ErrorClass::badInput, "input '" + in.name + "' is " + dtypeName(in.dtype) +
                                              " but the TensorRT engine takes " + trt::dataTypeName(want));
}

// ---------------------------------------------------------------------------------------------------------------
// the cache's meta file

json::Value layersToJson(const std::vector<NetworkLayer>& layers) {
  json::Value a = json::Value::array();
  for (const auto& l : layers) {
    json::Value o = json::Value::object();
    o.set("name", json::Value::string(l.name));
    json::Value outs = json::Value::array();
    for (const auto& t : l.outputs) outs.push(json::Value::string(t));
    o.set("outputs", std::move(outs));
    a.push(std::move(o));
  }
  return a;
}

json::Value stringsToJson(const std::vector<std::string>& v) {
  json::Value a = json::Value::array();
  for (const auto& s : v) a.push(json::Value::string(s));
  return a;
}

std::vector<std::string> stringsFromJson(const json::Value* v) {
  std::vector<std::string> out;
  if (v && v->kind() == json::Value::Kind::array)
    for (const auto& x : v->items()) out.push_back(x.asString());
  return out;
}

struct EngineMeta {
  std::vector<std::string> marked;  // the requested tensors that were marked (or are network outputs)
  std::vector<std::string> requested;
  std::vector<SkippedTensor> skipped;
  std::vector<NetworkLayer> layers;
  std::vector<std::string> notes;
  json::Value engineInfo;
};

json::Value metaToJson(const EngineMeta& m, const std::string& mode, const std::string& trtVersion) {
  json::Value o = json::Value::object();
  o.set("format", json::Value::number(1));
  o.set("tensorrt", json::Value::string(trtVersion));
  o.set("captureMode", json::Value::string(mode));
  o.set("requested", stringsToJson(m.requested));
  o.set("marked", stringsToJson(m.marked));
  o.set("skipped", skippedToJson(m.skipped));
  o.set("notes", stringsToJson(m.notes));
  o.set("networkLayers", layersToJson(m.layers));
  o.set("engine", m.engineInfo);
  return o;
}

EngineMeta metaFromJson(const json::Value& o) {
  EngineMeta m;
  m.requested = stringsFromJson(o.find("requested"));
  m.marked = stringsFromJson(o.find("marked"));
  m.notes = stringsFromJson(o.find("notes"));
  if (const auto* s = o.find("skipped")) {
    for (const auto& x : s->items()) {
      const auto* n = x.find("name");
      const auto* r = x.find("reason");
      if (n && r) m.skipped.push_back({n->asString(), r->asString()});
    }
  }
  const auto* layers = o.find("networkLayers");
  if (!layers) throw std::runtime_error("no networkLayers");
  for (const auto& x : layers->items()) {
    NetworkLayer l;
    if (const auto* n = x.find("name")) l.name = n->asString();
    l.outputs = stringsFromJson(x.find("outputs"));
    m.layers.push_back(std::move(l));
  }
  if (const auto* e = o.find("engine")) m.engineInfo = *e;
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// parse

struct ParsedNetwork {
  nvinfer1::IBuilder* builder = nullptr;  // the process's (TrtApi::builder)
  Ptr<nvinfer1::INetworkDefinition> network;
  Ptr<nvonnxparser::IParser> parser;
};

void parseModel(TrtApi& api, ParsedNetwork& p, const std::string& model, const OnnxSummary& summary,
                int64_t opset, int64_t maxOpset, const std::string& libVersion, const Emitter& emit) {
  p.builder = &api.builder();
#if NV_TENSORRT_MAJOR < 10
  const nvinfer1::NetworkDefinitionCreationFlags flags =
      1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
#else
  const nvinfer1::NetworkDefinitionCreationFlags flags = 0;  // explicit batch is the only mode in 10+
#endif
  api.logger().clearErrors();
  p.network.reset(p.builder->createNetworkV2(flags));
  if (!p.network) {
    throw HelperError(ErrorClass::parse,
                      "TensorRT could not create a network: " + api.logger().errorText("createNetworkV2 returned null"));
  }
  p.parser.reset(api.createParser(*p.network));
  logInfo("parse: " + model);
  api.logger().clearErrors();
  const bool ok =
      p.parser->parseFromFile(model.c_str(), static_cast<int>(nvinfer1::ILogger::Severity::kWARNING));
  if (ok) {
    logInfo("parse: " + std::to_string(p.network->getNbLayers()) + " layers, " +
            std::to_string(p.network->getNbInputs()) + " inputs, " + std::to_string(p.network->getNbOutputs()) +
            " outputs");
    return;
  }
  const int nErrors = p.parser->getNbErrors();
  std::string firstNode, firstOp, firstDesc;
  bool haveFirst = false;
  for (int i = 0; i < nErrors; ++i) {
    const nvonnxparser::IParserError* e = p.parser->getError(i);
    if (!e) continue;
    const int idx = e->node();
    std::string node, op;
#if NV_TENSORRT_MAJOR >= 10
    if (e->nodeName() && *e->nodeName()) node = e->nodeName();
    if (e->nodeOperator() && *e->nodeOperator()) op = e->nodeOperator();
#endif
    if (idx >= 0 && static_cast<size_t>(idx) < summary.nodeNames.size()) {
      if (node.empty()) node = summary.nodeNames[static_cast<size_t>(idx)];
      if (op.empty() && static_cast<size_t>(idx) < summary.nodeOps.size()) op = summary.nodeOps[static_cast<size_t>(idx)];
      if (node.empty()) node = "#" + std::to_string(idx);
    }
    const std::string desc = e->desc() ? e->desc() : "";
    std::ostringstream where;
    where << (e->file() ? e->file() : "?") << ":" << e->line() << " " << (e->func() ? e->func() : "");
    logInfo("parse error " + std::to_string(i + 1) + "/" + std::to_string(nErrors) + ": node " +
            (node.empty() ? "(none)" : node) + (op.empty() ? "" : " (" + op + ")") + ", code " +
            std::to_string(static_cast<int>(e->code())) + ", at " + where.str() + ": " + desc);
    emit.log("error", "ONNX parser: " + (node.empty() ? std::string() : "node '" + node + "' (" + op + "): ") + desc);
    if (!haveFirst) {
      haveFirst = true;
      firstNode = node;
      firstOp = op;
      firstDesc = desc;
    }
  }
  if (!haveFirst) firstDesc = api.logger().errorText("the parser reported no error text");
  std::string at = firstNode.empty() ? "" : " at node '" + firstNode + "'" + (firstOp.empty() ? "" : " (" + firstOp + ")");
  std::string more = nErrors > 1 ? " (and " + std::to_string(nErrors - 1) + " more errors)" : "";
  const std::string majorMinor = libVersion.substr(0, libVersion.rfind('.'));
  // Only a failure at a node can be the opset's fault: an initializer that fails to import (e.g. a missing weights
  // file) is a parse error whatever the opset, and blaming the opset would send the user the wrong way.
  if (opset > maxOpset && !firstNode.empty()) {
    throw HelperError(ErrorClass::unsupportedOpset,
                      "opset " + std::to_string(opset) + " is newer than TensorRT " + majorMinor + " supports (up to " +
                          std::to_string(maxOpset) + "); the parser failed" + at + ": " +
                          firstDesc + more,
                      firstNode);
  }
  const std::string opsetNote = opset > maxOpset ? " (the model's opset " + std::to_string(opset) +
                                                      " is also newer than TensorRT " + majorMinor + " supports: up to " +
                                                      std::to_string(maxOpset) + ")"
                                                : "";
  throw HelperError(ErrorClass::parse,
                    "TensorRT's ONNX parser failed" + at + ": " + firstDesc + more + opsetNote, firstNode);
}

/** Profile min=opt=max = the given inputs; checks that the inputs are exactly the network's. */
void addProfile(nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network, nvinfer1::IBuilderConfig& config,
                const std::vector<HostTensor>& inputs) {
  std::map<std::string, const HostTensor*> byName;
  for (const auto& t : inputs) byName[t.name] = &t;
  std::vector<std::string> names, missing;
  for (int32_t i = 0; i < network.getNbInputs(); ++i) {
    const char* n = network.getInput(i)->getName();
    names.emplace_back(n ? n : "");
    if (!byName.count(names.back())) missing.push_back(names.back());
  }
  std::vector<std::string> extra;
  for (const auto& t : inputs)
    if (std::find(names.begin(), names.end(), t.name) == names.end()) extra.push_back(t.name);
  if (!missing.empty() || !extra.empty()) {
    std::string msg;
    if (!missing.empty()) {
      msg = "the inputs lack network input" + std::string(missing.size() > 1 ? "s " : " ") + join(missing, ", ");
    }
    if (!extra.empty()) {
      msg += std::string(msg.empty() ? "the inputs have " : "; they have ") + join(extra, ", ") + ", which " +
             (extra.size() > 1 ? "are not inputs" : "is not an input") + " of the network";
    }
    throw HelperError(ErrorClass::badInput, msg + " (the network takes " + join(names, ", ") + ")");
  }
  nvinfer1::IOptimizationProfile* profile = builder.createOptimizationProfile();
  if (!profile) throw HelperError(ErrorClass::build, "TensorRT could not create an optimization profile");
  for (int32_t i = 0; i < network.getNbInputs(); ++i) {
    nvinfer1::ITensor* t = network.getInput(i);
    const HostTensor& h = *byName[t->getName()];
    const nvinfer1::Dims want = t->getDimensions();
    const std::string what = "input '" + h.name + "'";
    if (want.nbDims != static_cast<int32_t>(h.shape.size())) {
      throw HelperError(ErrorClass::badInput, what + " has shape " + trt::shapeText(h.shape) + " but the network takes " +
                                                  trt::dimsText(want));
    }
    for (int32_t d = 0; d < want.nbDims; ++d) {
      if (want.d[d] >= 0 && static_cast<int64_t>(want.d[d]) != h.shape[static_cast<size_t>(d)]) {
        throw HelperError(ErrorClass::badInput, what + " has shape " + trt::shapeText(h.shape) +
                                                    " but the network takes " + trt::dimsText(want));
      }
    }
    const nvinfer1::Dims dims = trt::toDims(h.shape, what);
    bool ok = true;
    for (auto sel : {nvinfer1::OptProfileSelector::kMIN, nvinfer1::OptProfileSelector::kOPT,
                     nvinfer1::OptProfileSelector::kMAX}) {
      ok = ok && profile->setDimensions(t->getName(), sel, dims);
    }
    if (t->isShapeTensor()) {
      // A shape-tensor input: its values are part of the profile too.
      const HostTensor v = adaptInput(h, t->getType());
      const size_t n = v.elementCount();
#if NV_TENSORRT_MAJOR >= 11
      std::vector<int64_t> vals(n);
      for (size_t k = 0; k < n; ++k) {
        if (v.dtype == DType::i64) {
          std::memcpy(&vals[k], v.data.data() + k * 8, 8);
        } else {
          int32_t x;
          std::memcpy(&x, v.data.data() + k * 4, 4);
          vals[k] = x;
        }
      }
      for (auto sel : {nvinfer1::OptProfileSelector::kMIN, nvinfer1::OptProfileSelector::kOPT,
                       nvinfer1::OptProfileSelector::kMAX}) {
        ok = ok && profile->setShapeValuesV2(t->getName(), sel, vals.data(), static_cast<int32_t>(n));
      }
#else
      HostTensor v32 = v;
      if (v32.dtype == DType::i64) narrowInt64ToInt32(v32);
      std::vector<int32_t> vals(n);
      if (n) std::memcpy(vals.data(), v32.data.data(), n * 4);
      for (auto sel : {nvinfer1::OptProfileSelector::kMIN, nvinfer1::OptProfileSelector::kOPT,
                       nvinfer1::OptProfileSelector::kMAX}) {
        ok = ok && profile->setShapeValues(t->getName(), sel, vals.data(), static_cast<int32_t>(n));
      }
#endif
      logInfo("profile: " + h.name + " is a shape tensor: its values are fixed in the profile");
    }
    if (!ok) {
      throw HelperError(ErrorClass::badInput, "TensorRT refused shape " + trt::shapeText(h.shape) + " for " + what);
    }
    logInfo("profile: " + h.name + " " + trt::dimsText(dims) + " (network: " + trt::dimsText(want) + ", " +
            trt::dataTypeName(t->getType()) + ")");
  }
  if (config.addOptimizationProfile(profile) < 0) {
    throw HelperError(ErrorClass::badInput, "TensorRT refused the optimization profile made from the inputs' shapes");
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

void runTensorrt(const RunOptions& opts, const LocateOptions& locate, const Emitter& emit) {
  // ---- options that this TensorRT cannot honour: usage errors before anything is loaded
  CaptureMode mode = opts.captureMode;
  if (mode == CaptureMode::automatic) mode = NV_TENSORRT_MAJOR >= 10 ? CaptureMode::debug : CaptureMode::mark;
#if NV_TENSORRT_MAJOR < 10
  if (mode == CaptureMode::debug) throw HelperError(ErrorClass::usage, "debug tensors need TensorRT 10 or newer");
#endif
#if NV_TENSORRT_MAJOR < 9
  if (opts.bf16) throw HelperError(ErrorClass::usage, "--bf16 needs TensorRT 9 or newer");
#endif
#if NV_TENSORRT_MAJOR >= 11
  if (opts.fp16 || opts.bf16 || opts.int8 || opts.obeyPrecision) {
    throw HelperError(ErrorClass::usage,
                      "TensorRT 11 networks are strongly typed (precision comes from the model's types and Q/DQ "
                      "nodes): --fp16, --bf16, --int8 and --obey-precision do not exist there");
  }
#endif
  if (opts.workspaceMiB <= 0) throw HelperError(ErrorClass::usage, "--workspace must be a positive number of MiB");
  const auto tactics = tacticSources(opts.tacticSources);
  const bool useCache = !opts.noCache;

  RunResultEvent res;
  res.resultsPath = opts.saveResults;
  res.layerInfoPath = opts.layerInfo ? *opts.layerInfo : defaultLayerInfoPath(opts.saveResults);

  // ---- load
  emit.progress("load", "start");
  Stopwatch loadWatch;
  TrtApi& api = TrtApi::get(locate);
  LoggerScope loggerScope(api.logger(), emit);
  cuda::Driver& gpu = cuda::Driver::get();
  gpu.makeCurrent();
  nvinfer1::IRuntime* runtime = &api.runtime();  // the first one initializes TensorRT's CUDA side (seconds)
  const LoadedTensorrt& lib = api.lib();
  const std::string trtVersion = lib.version();
  res.runnerName = opts.runnerName ? *opts.runnerName : "trt-runner-N" + trtVersion;
  const double loadSeconds = loadWatch.seconds();
  res.timings.emplace_back("load", loadSeconds);
  emit.progress("load", "done", loadSeconds);
  throwIfCancelled("load");

  // ---- what the model is
  Stopwatch parseWatch;
  emit.progress("parse", "start");
  logInfo("model: reading " + opts.model);
  const std::vector<uint8_t> modelBytes = readFileBytes(opts.model);
  const OnnxSummary summary = scanOnnx(modelBytes);
  int64_t opset = 0;
  for (const auto& o : summary.opsets)
    if (o.first.empty() || o.first == "ai.onnx") opset = std::max(opset, o.second);
  const int64_t maxOpset = maxSupportedOpset(lib.major, lib.minor);
  logInfo("model: " + std::to_string(summary.nodeNames.size()) + " nodes, ai.onnx opset " + std::to_string(opset) +
          " (TensorRT " + trtVersion + " parses up to " + std::to_string(maxOpset) + ")");
  if (opset > maxOpset) {
    emit.log("warning", "the model's opset " + std::to_string(opset) + " is newer than TensorRT " +
                            std::to_string(lib.major) + "." + std::to_string(lib.minor) + " supports (up to " +
                            std::to_string(maxOpset) + "): parsing may fail");
  }
  std::vector<HostTensor> inputs = readInputs(opts.inputs);
  {
    std::vector<std::string> d;
    for (const auto& t : inputs) d.push_back(t.name + " " + dtypeName(t.dtype) + trt::shapeText(t.shape));
    logInfo("inputs: " + join(d, ", "));
  }
  throwIfCancelled("parse");

  // ---- the engine: from the cache, or parsed and built
  std::string cacheDir, cacheKey;
  if (useCache) {
    cacheDir = opts.cacheDir ? *opts.cacheDir : defaultCacheDir();
    if (!makeDirs(cacheDir)) {
      emit.log("warning", "engine cache folder " + cacheDir + " cannot be created (" + std::strerror(errno) +
                              "): the engine will not be cached");
      cacheDir.clear();
    } else if (access(cacheDir.c_str(), W_OK) != 0) {
      emit.log("warning", "engine cache folder " + cacheDir + " is not writable: new engines will not be cached");
    }
  }
  if (!cacheDir.empty()) {
    CacheKeyInputs k;
    k.modelPath = opts.model;
    for (const auto& loc : summary.externalDataLocations) {
      const std::string p = loc.size() && loc[0] == '/' ? loc : dirOf(opts.model) + "/" + loc;
      if (fileExists(p)) k.externalFiles.push_back(p);
    }
    k.tensorrtVersion = trtVersion;
    k.gpu = gpu.gpu().describe();
    k.captureMode = modeName(mode);
    // The capture spec stands for the marked names (the model's bytes fix what "all" means); the inputs' names,
    // types and shapes are part of the key too, since the optimization profile is fixed to them (min=opt=max).
    k.captured = {opts.capture};
    for (const auto& t : inputs) {
      k.captured.push_back(std::string("\x01input ") + t.name + " " + dtypeName(t.dtype) + trt::shapeText(t.shape));
    }
    k.options = opts;
    cacheKey = engineCacheKey(k);
    logInfo("cache: key " + cacheKey + " in " + cacheDir);
  }
  const std::string enginePath = cacheDir.empty() ? "" : cacheDir + "/" + cacheKey + ".engine";
  const std::string metaPath = cacheDir.empty() ? "" : cacheDir + "/" + cacheKey + ".meta.json";

  Ptr<nvinfer1::ICudaEngine> engine;
  EngineMeta meta;
  bool cached = false;

  if (!enginePath.empty() && fileExists(enginePath) && fileExists(metaPath)) {
    Stopwatch w;
    try {
      meta = metaFromJson(json::parse(readText(metaPath)));
      const std::vector<uint8_t> blob = readFileBytes(enginePath);
      logInfo("cache: hit, deserializing " + enginePath + " (" + std::to_string(blob.size() >> 20) + " MiB)");
      api.logger().clearErrors();
      engine.reset(runtime->deserializeCudaEngine(blob.data(), blob.size()));
      if (!engine) throw std::runtime_error(api.logger().errorText("deserializeCudaEngine returned null"));
      cached = true;
      emit.progress("parse", "done", 0.0);
      res.timings.emplace_back("parse", parseWatch.seconds());
      res.timings.emplace_back("build", 0.0);
      res.timings.emplace_back("deserialize", w.seconds());
      emit.progress("build", "start");
      emit.progress("build", "done", 0.0);
    } catch (const std::exception& e) {
      emit.log("warning", std::string("the cached engine could not be used (") + e.what() + "): building it again");
      engine.reset();
      meta = EngineMeta();
    }
  }

  if (!engine) {
    ParsedNetwork p;
    parseModel(api, p, opts.model, summary, opset, maxOpset, trtVersion, emit);
    meta.layers = trt::networkLayers(*p.network);
    const double parseSeconds = parseWatch.seconds();
    res.timings.emplace_back("parse", parseSeconds);
    emit.progress("parse", "done", parseSeconds);
    throwIfCancelled("parse");

    // capture plan
    trt::CapturePlan plan = trt::planCapture(*p.network, opts.capture, mode == CaptureMode::debug);
    meta.requested = plan.requested;
    meta.skipped = plan.skipped;
    if (plan.weightsLeftOut || plan.unnamedLeftOut) {
      meta.notes.push_back("--capture all leaves out " + std::to_string(plan.weightsLeftOut) +
                           " weights (Constant layers) and " + std::to_string(plan.unnamedLeftOut) +
                           " tensors TensorRT added itself (named \"(Unnamed Layer* N) ...\"); name them in "
                           "--capture to have them");
    }
    std::vector<nvinfer1::ITensor*> markedTensors;
    {
      std::map<std::string, nvinfer1::ITensor*> byName;
      for (int32_t i = 0; i < p.network->getNbLayers(); ++i) {
        auto* l = p.network->getLayer(i);
        for (int32_t j = 0; j < l->getNbOutputs(); ++j)
          if (auto* t = l->getOutput(j)) byName[t->getName()] = t;
      }
      int64_t nMarked = 0;
      for (const auto& name : plan.marked) {
        nvinfer1::ITensor* t = byName[name];
        if (!t) continue;
        if (t->isNetworkOutput()) {
          meta.marked.push_back(name);
          continue;
        }
        if (mode == CaptureMode::mark) {
          p.network->markOutput(*t);
          markedTensors.push_back(t);
        } else {
#if NV_TENSORRT_MAJOR >= 10
          if (!p.network->markDebug(*t)) {
            meta.skipped.push_back({name, "TensorRT refused to mark it as a debug tensor: " +
                                              api.logger().errorText("no reason given")});
            continue;
          }
#endif
        }
        ++nMarked;
        meta.marked.push_back(name);
      }
      logInfo("capture: " + std::to_string(plan.requested.size()) + " requested, " + std::to_string(nMarked) +
              " marked as " + (mode == CaptureMode::mark ? "outputs" : "debug tensors") + ", " +
              std::to_string(meta.skipped.size()) + " skipped");
    }

    // builder configuration
    Ptr<nvinfer1::IBuilderConfig> config(p.builder->createBuilderConfig());
    if (!config) throw HelperError(ErrorClass::build, "TensorRT could not create a builder config");
    if (!opts.tf32) {
      config->clearFlag(nvinfer1::BuilderFlag::kTF32);
    } else {
      config->setFlag(nvinfer1::BuilderFlag::kTF32);
    }
#if NV_TENSORRT_MAJOR < 11
    if (opts.fp16) config->setFlag(nvinfer1::BuilderFlag::kFP16);
    if (opts.int8) config->setFlag(nvinfer1::BuilderFlag::kINT8);
    if (opts.obeyPrecision) config->setFlag(nvinfer1::BuilderFlag::kOBEY_PRECISION_CONSTRAINTS);
#endif
#if NV_TENSORRT_MAJOR >= 9 && NV_TENSORRT_MAJOR < 11
    if (opts.bf16) config->setFlag(nvinfer1::BuilderFlag::kBF16);
#endif
    config->setMemoryPoolLimit(nvinfer1::MemoryPoolType::kWORKSPACE, static_cast<size_t>(opts.workspaceMiB) << 20);
    if (!config->setTacticSources(tactics.first)) {
      throw HelperError(ErrorClass::usage, "TensorRT refused the tactic sources " + join(tactics.second, ", ") + ": " +
                                               api.logger().errorText("no reason given"));
    }
    config->setProfilingVerbosity(nvinfer1::ProfilingVerbosity::kDETAILED);
    addProfile(*p.builder, *p.network, *config, inputs);
    logInfo(std::string("build: TF32 ") + (opts.tf32 ? "on" : "off") + ", fp16 " + (opts.fp16 ? "on" : "off") +
            ", bf16 " + (opts.bf16 ? "on" : "off") + ", int8 " + (opts.int8 ? "on" : "off") + ", workspace " +
            std::to_string(opts.workspaceMiB) + " MiB, tactic sources " + join(tactics.second, ", "));

    // build (with the loop retry)
    emit.progress("build", "start");
    Stopwatch buildWatch;
    Ptr<nvinfer1::IHostMemory> plan2;
    for (int attempt = 0; attempt < 2 && !plan2; ++attempt) {
      api.logger().clearErrors();
      {
        BuildWatchdog watchdog(opts.buildTimeoutSec, emit, {});
        plan2.reset(p.builder->buildSerializedNetwork(*p.network, *config));
      }
      if (plan2) break;
      const std::string errors = api.logger().errorText("buildSerializedNetwork returned null");
      if (attempt == 0 && mode == CaptureMode::mark && !markedTensors.empty() &&
          lower(errors).find("loop") != std::string::npos) {
        const std::set<std::string> suspects = trt::loopBodyTensors(*p.network, true);
        std::vector<std::string> unmarked;
        for (auto* t : markedTensors) {
          if (t->isNetworkOutput() && suspects.count(t->getName())) {
            p.network->unmarkOutput(*t);
            unmarked.emplace_back(t->getName());
          }
        }
        if (!unmarked.empty()) {
          emit.log("warning", "the build failed on a loop (" + errors + "): building again without the " +
                                  std::to_string(unmarked.size()) + " marked tensors around Loop bodies");
          for (const auto& n : unmarked) {
            meta.skipped.push_back({n, "around a Loop body: marking it as an output failed the build"});
            meta.marked.erase(std::remove(meta.marked.begin(), meta.marked.end(), n), meta.marked.end());
          }
          meta.notes.push_back("the first build failed on a loop; " + std::to_string(unmarked.size()) +
                               " tensors around Loop bodies were unmarked and the engine built again");
          continue;
        }
      }
      std::string hint;
      if (mode == CaptureMode::mark && !markedTensors.empty()) {
        hint = " (" + std::to_string(markedTensors.size()) +
               " tensors were marked as outputs to capture them, which can cause this: try --capture outputs)";
      }
      throw HelperError(ErrorClass::build, "TensorRT could not build the engine: " + errors + hint);
    }
    const double buildSeconds = buildWatch.seconds();
    logInfo("build: done in " + std::to_string(buildSeconds) + " s, plan " + std::to_string(plan2->size() >> 20) +
            " MiB");
    res.timings.emplace_back("build", buildSeconds);
    emit.progress("build", "done", buildSeconds);
    throwIfCancelled("build");

    api.logger().clearErrors();
    engine.reset(runtime->deserializeCudaEngine(plan2->data(), plan2->size()));
    if (!engine) {
      throw HelperError(ErrorClass::build, "TensorRT could not load the engine it built: " +
                                               api.logger().errorText("deserializeCudaEngine returned null"));
    }

    // the engine's layer information (the execution context is not needed for the detailed layer list)
    {
      Ptr<nvinfer1::IEngineInspector> inspector(engine->createEngineInspector());
      const char* info = inspector ? inspector->getEngineInformation(nvinfer1::LayerInformationFormat::kJSON) : nullptr;
      if (info) {
        try {
          meta.engineInfo = json::parse(escapeControlCharacters(info));
        } catch (const std::exception& e) {
          emit.log("warning", std::string("the engine inspector's JSON could not be read (") + e.what() +
                                  "): the layer file keeps it as text");
          meta.engineInfo = json::Value::string(info);
        }
      } else {
        emit.log("warning", "the engine inspector gave no layer information");
      }
    }

    // the cache
    if (!enginePath.empty()) {
      try {
        writeFileAtomically(enginePath, plan2->data(), plan2->size());
        const std::string metaText = json::write(metaToJson(meta, modeName(mode), trtVersion));
        writeFileAtomically(metaPath, metaText.data(), metaText.size());
        logInfo("cache: wrote " + enginePath);
      } catch (const std::exception& e) {
        emit.log("warning", std::string("the engine could not be cached: ") + e.what());
        std::remove(enginePath.c_str());
      }
    }
  }
  throwIfCancelled("build");

  // ---- run
  emit.progress("run", "start");
  Ptr<nvinfer1::IExecutionContext> context(engine->createExecutionContext());
  if (!context) {
    throw HelperError(ErrorClass::run, "TensorRT could not create an execution context: " +
                                           api.logger().errorText("createExecutionContext returned null"));
  }
  std::map<std::string, const HostTensor*> inputByName;
  for (const auto& t : inputs) inputByName[t.name] = &t;

  struct Io {
    std::string name;
    DataType type;
    bool input;
    cuda::CUdeviceptr ptr = 0;
    size_t bytes = 0;
    nvinfer1::Dims dims{};
    std::unique_ptr<GrowingOutput> grow;
  };
  std::vector<Io> ios;
  std::vector<HostTensor> hostInputs;  // adapted copies; shape-tensor inputs are read from here by TensorRT
  hostInputs.reserve(static_cast<size_t>(engine->getNbIOTensors()));
  DeviceBuffers buffers(gpu);
  std::vector<std::string> engineInputs;
  for (int32_t i = 0; i < engine->getNbIOTensors(); ++i) {
    Io io;
    io.name = engine->getIOTensorName(i);
    io.type = engine->getTensorDataType(io.name.c_str());
    io.input = engine->getTensorIOMode(io.name.c_str()) == nvinfer1::TensorIOMode::kINPUT;
    if (io.input) engineInputs.push_back(io.name);
    ios.push_back(std::move(io));
  }
  // inputs: the same names as the engine's (a cached engine was built for other inputs' names?)
  for (const auto& t : inputs) {
    if (std::find(engineInputs.begin(), engineInputs.end(), t.name) == engineInputs.end()) {
      throw HelperError(ErrorClass::badInput, "the inputs have " + t.name + ", which is not an input of the engine (it takes " +
                                                  join(engineInputs, ", ") + ")");
    }
  }
  for (auto& io : ios) {
    if (!io.input) continue;
    auto it = inputByName.find(io.name);
    if (it == inputByName.end()) {
      throw HelperError(ErrorClass::badInput, "the inputs lack " + io.name + " (the engine takes " +
                                                  join(engineInputs, ", ") + ")");
    }
    hostInputs.push_back(adaptInput(*it->second, io.type));
    const HostTensor& h = hostInputs.back();
    api.logger().clearErrors();
    if (!context->setInputShape(io.name.c_str(), trt::toDims(h.shape, "input '" + io.name + "'"))) {
      throw HelperError(ErrorClass::badInput, "TensorRT refused shape " + trt::shapeText(h.shape) + " for input '" +
                                                  io.name + "': " + api.logger().errorText("no reason given"));
    }
    io.bytes = h.data.size();
    if (engine->isShapeInferenceIO(io.name.c_str())) {
      // shape-tensor inputs live on the host
      if (!context->setTensorAddress(io.name.c_str(), const_cast<uint8_t*>(h.data.data()))) {
        throw HelperError(ErrorClass::run, "TensorRT refused the host address of shape input '" + io.name + "': " +
                                               api.logger().errorText("no reason given"));
      }
      continue;
    }
    DeviceBuffer& b = buffers.add(io.bytes, "input " + io.name);
    io.ptr = b.ptr;
    gpu.copyToDevice(b.ptr, h.data.data(), io.bytes, "input " + io.name);
    if (!context->setTensorAddress(io.name.c_str(), reinterpret_cast<void*>(static_cast<uintptr_t>(b.ptr)))) {
      throw HelperError(ErrorClass::run, "TensorRT refused the address of input '" + io.name + "': " +
                                             api.logger().errorText("no reason given"));
    }
  }
  size_t outputBytes = 0;
  for (auto& io : ios) {
    if (io.input) continue;
    io.dims = context->getTensorShape(io.name.c_str());
    const int64_t count = trt::volume(io.dims);
    if (count < 0) {
      io.grow.reset(new GrowingOutput(gpu, io.name));
      if (!context->setOutputAllocator(io.name.c_str(), io.grow.get())) {
        throw HelperError(ErrorClass::run, "TensorRT refused an output allocator for '" + io.name + "' (shape " +
                                               trt::dimsText(io.dims) + "): " + api.logger().errorText("no reason given"));
      }
      logInfo("run: output " + io.name + " has a data-dependent shape " + trt::dimsText(io.dims));
      continue;
    }
    io.bytes = trt::storageBytes(io.type, count);
    DeviceBuffer& b = buffers.add(io.bytes, "output " + io.name);
    io.ptr = b.ptr;
    outputBytes += io.bytes;
    if (!context->setTensorAddress(io.name.c_str(), reinterpret_cast<void*>(static_cast<uintptr_t>(b.ptr)))) {
      throw HelperError(ErrorClass::run, "TensorRT refused the address of output '" + io.name + "': " +
                                             api.logger().errorText("no reason given"));
    }
  }
  {
    size_t freeB = 0, totalB = 0;
    gpu.memInfo(&freeB, &totalB);
    logInfo("run: " + std::to_string(ios.size()) + " I/O tensors, " + std::to_string(outputBytes >> 20) +
            " MiB of outputs; device memory " + std::to_string(freeB >> 20) + " MiB free of " +
            std::to_string(totalB >> 20) + " MiB");
  }

  ResultsWriter writer(opts.saveResults, res.runnerName);
  registerPartialFile(writer.partialPath());
  struct PartialGuard {
    std::string p;
    ~PartialGuard() { unregisterPartialFile(p); }
  } partialGuard{writer.partialPath()};

  std::set<std::string> written;
  std::vector<std::string> writtenOrder;
#if NV_TENSORRT_MAJOR >= 10
  std::unique_ptr<DebugCapture> debug;
  if (mode == CaptureMode::debug) {
    std::vector<std::string> debugNames;
    for (const auto& n : meta.marked) {
      bool isOutput = false;
      for (const auto& io : ios) isOutput = isOutput || (!io.input && io.name == n);
      if (!isOutput) debugNames.push_back(n);
    }
    debug.reset(new DebugCapture(gpu, writer, emit, static_cast<int64_t>(meta.marked.size())));
    if (!context->setDebugListener(debug.get())) {
      throw HelperError(ErrorClass::run, "TensorRT refused the debug listener: " + api.logger().errorText("no reason given"));
    }
    for (const auto& n : debugNames) {
      if (!context->setTensorDebugState(n.c_str(), true)) {
        emit.log("warning", "TensorRT refused to turn on debug tensor " + n + ": " +
                                api.logger().errorText("no reason given"));
      }
    }
    logInfo("run: " + std::to_string(debugNames.size()) + " debug tensors on");
  }
#endif

  throwIfCancelled("run");
  cuda::CUstream stream = gpu.createStream();
  struct StreamGuard {
    cuda::Driver& d;
    cuda::CUstream s;
    ~StreamGuard() { d.destroyStream(s); }
  } streamGuard{gpu, stream};
  Stopwatch runWatch;
  api.logger().clearErrors();
  const bool enqueued = context->enqueueV3(reinterpret_cast<cudaStream_t>(stream));
  if (!enqueued) {
    std::string why = api.logger().errorText("enqueueV3 returned false");
#if NV_TENSORRT_MAJOR >= 10
    if (debug && !debug->error().empty()) why = "the debug listener failed: " + debug->error() + "; " + why;
#endif
    throw HelperError(ErrorClass::run, "TensorRT could not run the engine: " + why);
  }
  gpu.synchronize(stream, "the engine's run");
  const double runSeconds = runWatch.seconds();
  logInfo("run: done in " + std::to_string(runSeconds * 1000) + " ms");
#if NV_TENSORRT_MAJOR >= 10
  if (debug) {
    if (!debug->error().empty()) throw HelperError(ErrorClass::run, "the debug listener failed: " + debug->error());
    for (const auto& n : debug->received()) {
      written.insert(n);
      writtenOrder.push_back(n);
    }
    for (const auto& n : debug->notes()) res.notes.push_back(n);
  }
#endif
  res.timings.emplace_back("run", runSeconds);
  emit.progress("run", "done", runSeconds);
  throwIfCancelled("run");

  // ---- write: the outputs in network order (the marked list), then any other engine output
  Stopwatch writeWatch;
  std::vector<Io*> order;
  {
    std::map<std::string, Io*> outs;
    for (auto& io : ios)
      if (!io.input) outs[io.name] = &io;
    for (const auto& n : meta.marked) {
      auto it = outs.find(n);
      if (it != outs.end()) {
        order.push_back(it->second);
        outs.erase(it);
      }
    }
    for (auto& io : ios)
      if (!io.input && outs.count(io.name)) order.push_back(&io);
  }
  const int64_t total = static_cast<int64_t>(order.size() + written.size());
  int64_t done = static_cast<int64_t>(written.size());
  emit.progress("write", "start", std::nullopt, done, total);
  std::vector<uint8_t> host;
  for (Io* io : order) {
    if (written.count(io->name)) continue;
    const auto dtype = trt::toDType(io->type);
    if (!dtype) {
      res.notes.push_back("output " + io->name + " (" + trt::dataTypeName(io->type) +
                          ") not written: the results file has no such type");
      continue;
    }
    cuda::CUdeviceptr src = io->ptr;
    nvinfer1::Dims dims = io->dims;
    if (io->grow) {
      if (!io->grow->error().empty()) throw HelperError(ErrorClass::run, io->grow->error());
      dims = io->grow->shapeKnown() ? io->grow->dims() : context->getTensorShape(io->name.c_str());
      src = io->grow->ptr();
    }
    const int64_t count = trt::volume(dims);
    if (count < 0) {
      res.notes.push_back("output " + io->name + " has no known shape after the run " + trt::dimsText(dims) +
                          ": not written");
      continue;
    }
    const size_t bytes = trt::storageBytes(io->type, count);
    host.resize(bytes);
    if (bytes) {
      if (!src) throw HelperError(ErrorClass::run, "TensorRT gave no memory for output " + io->name);
      gpu.copyToHost(host.data(), src, bytes, "output " + io->name);
    }
    writer.add(io->name, *dtype, trt::fromDims(dims), host.data(), bytes);
    written.insert(io->name);
    writtenOrder.push_back(io->name);
    ++done;
    emit.progress("write", "start", std::nullopt, done, total);
    throwIfCancelled("write");
  }
  writer.finish(runSeconds);
  logInfo("write: " + std::to_string(writtenOrder.size()) + " tensors in " + opts.saveResults);

  // ---- fusion and the layer file
  std::set<std::string> produced;
  for (const auto& io : ios) produced.insert(io.name);
  for (const auto& n : written) produced.insert(n);
  std::vector<std::string> requestedForFusion;
  for (const auto& n : meta.marked) requestedForFusion.push_back(n);
  res.fused = explainFusion(meta.layers, meta.engineInfo, produced, requestedForFusion);
  res.skipped = meta.skipped;
  res.captured = writtenOrder;
  try {
    writeLayerInfo(res.layerInfoPath, trtVersion, res.runnerName, modeName(mode), res.fused, res.skipped,
                   meta.engineInfo);
  } catch (const HelperError&) {
    throw;
  } catch (const std::exception& e) {
    throw HelperError(ErrorClass::write, std::string("cannot write the layer file ") + res.layerInfoPath + ": " + e.what());
  }
  const double writeSeconds = writeWatch.seconds();
  res.timings.emplace_back("write", writeSeconds);
  emit.progress("write", "done", writeSeconds, done, total);

  // ---- the result
  res.engineCached = cached;
  if (!opts.tf32) res.notes.push_back("TF32 disabled (set --tf32 to allow it)");
  else res.notes.push_back("TF32 allowed (--tf32)");
  res.notes.push_back("tactic sources: " + join(tactics.second, ", "));
  if (opts.fp16) res.notes.push_back("fp16 allowed (--fp16)");
  if (opts.bf16) res.notes.push_back("bf16 allowed (--bf16)");
  if (opts.int8) res.notes.push_back("int8 allowed (--int8)");
  if (opts.capture == "outputs") {
    res.notes.push_back("capture outputs: the engine is the one an outputs-only build makes (nothing marked)");
  } else if (mode == CaptureMode::mark) {
    res.notes.push_back(
        "capture mode mark: marking tensors as outputs blocks fusions: this is not exactly the engine an outputs-only "
        "build makes");
  } else {
    res.notes.push_back(
        "capture mode debug: tensors are copied out as TensorRT computes them; debug tensors may still keep some "
        "fusions from happening, and the run time includes the copies");
  }
  for (const auto& n : meta.notes) res.notes.push_back(n);
  if (cached) res.notes.push_back("engine taken from the cache: " + enginePath);
  res.peakRssMiB = peakRssMiB();
  emit.result(res);
  logInfo("result: " + std::to_string(res.captured.size()) + " captured, " + std::to_string(res.skipped.size()) +
          " skipped, " + std::to_string(res.fused.size()) + " fused away");
}

// ---------------------------------------------------------------------------------------------------------------

int reportVersion(const LocateOptions& locate, const Emitter& emit, bool asJson) {
  std::vector<std::string> problems;
  std::vector<SearchEntry> searched;
  std::optional<std::string> trtVersion, libDir;
  try {
    TrtApi& api = TrtApi::get(locate);
    trtVersion = api.lib().version();
    libDir = api.lib().dir.empty() ? std::string("(loader path)") : api.lib().dir;
  } catch (const HelperError& e) {
    problems.push_back(e.what());
    searched = e.searched;
  } catch (const std::exception& e) {
    problems.push_back(e.what());
  }
  std::string gpuProblem;
  const cuda::GpuInfo* gpu = cuda::tryGpu(&gpuProblem);
  if (!gpu) problems.push_back(gpuProblem);

  const int code = !trtVersion ? exitCodeOf(ErrorClass::noTensorrt) : !gpu ? exitCodeOf(ErrorClass::noGpu) : 0;
  if (asJson) {
    json::Value v = json::Value::object();
    v.set("event", json::Value::string("version"));
    v.set("helper", json::Value::string("0.1.0"));
    v.set("tensorrtMajor", json::Value::number(NV_TENSORRT_MAJOR));
    v.set("tensorrt", trtVersion ? json::Value::string(*trtVersion) : json::Value());
    v.set("tensorrtLibDir", libDir ? json::Value::string(*libDir) : json::Value());
    v.set("gpu", gpu ? json::Value::string(gpu->describe()) : json::Value());
    v.set("cuda", gpu ? json::Value::string(gpu->driverString()) : json::Value());
    json::Value p = json::Value::array();
    for (const auto& s : problems) p.push(json::Value::string(s));
    v.set("problems", std::move(p));
    json::Value s = json::Value::array();
    for (const auto& e : searched) {
      json::Value o = json::Value::object();
      o.set("path", json::Value::string(e.path));
      o.set("reason", json::Value::string(e.reason));
      s.push(std::move(o));
    }
    v.set("searched", std::move(s));
    emit.raw(std::move(v));
  } else {
    std::printf("onnx-inspector-trt%d 0.1.0 (compiled with TensorRT %s headers)\n", NV_TENSORRT_MAJOR,
                compiledTensorrtVersion().c_str());
    std::printf("TensorRT: %s\n", trtVersion ? (*trtVersion + " from " + *libDir).c_str() : "not found");
    std::printf("GPU: %s\n", gpu ? (gpu->describe() + ", driver CUDA " + gpu->driverString()).c_str() : "none");
    for (const auto& p : problems) std::printf("problem: %s\n", p.c_str());
    for (const auto& e : searched) std::printf("searched: %s: %s\n", e.path.c_str(), e.reason.c_str());
    std::fflush(stdout);
  }
  return code;
}

}  // namespace oi
