// Where TensorRT's libraries are looked for (PROTOCOL.md, LOCATE) and why each place failed. The loader is an
// interface so tests can point it at fake folders without TensorRT.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>
#include "errors.h"
#include "options.h"

namespace oi {

class Loader {
 public:
  virtual ~Loader() = default;
  /** dlopen(path, RTLD_NOW|RTLD_GLOBAL); on failure nullptr and the loader's message in *error. */
  virtual void* open(const std::string& path, std::string* error) = 0;
  virtual void* symbol(void* handle, const char* name) = 0;
  virtual void close(void* handle) = 0;
};
Loader& systemLoader();

struct Environment {
  std::function<std::optional<std::string>(const std::string&)> getenv;
  /** Runs `PY -c CODE` and returns stdout, or nullopt if it cannot run. */
  std::function<std::optional<std::string>(const std::string& python, const std::string& code)> runPython;
  std::function<bool(const std::string&)> isDirectory;
  /** Entries of a folder (names only); empty when unreadable. */
  std::function<std::vector<std::string>(const std::string&)> listDirectory;
};
Environment systemEnvironment();

/** A folder to try, and how it was found ("--tensorrt-lib-dir", "LD_LIBRARY_PATH", "pip tensorrt_libs (python3)", ...). */
struct Candidate {
  std::string dir;  // empty: the loader's own search by soname
  std::string origin;
};
std::vector<Candidate> candidateDirs(const LocateOptions& o, const Environment& env);

struct LoadedTensorrt {
  void* nvinfer = nullptr;
  void* onnxparser = nullptr;
  std::string dir;     // folder it came from ("" = loader path)
  std::string origin;
  int major = 0, minor = 0, patch = 0;
  std::string version() const;  // "8.6.0"
};

/**
 * Tries each candidate: libnvinfer.so.MAJOR, then libnvonnxparser.so.MAJOR, checks getInferLibVersion()'s major.
 * Throws HelperError(no-tensorrt) with every place and its reason (missing file, wrong major version, the loader's
 * message naming a missing dependency) when none loads.
 */
LoadedTensorrt loadTensorrt(int wantMajor, const LocateOptions& o, const Environment& env, Loader& loader);

}  // namespace oi
