#include "locate.h"

#include <map>
#include <set>
#include <sys/stat.h>

#include "test_support.h"

using namespace oi;
using namespace oi::test;

namespace {

/** A file system and environment held in maps. */
struct FakeWorld {
  std::map<std::string, std::string> env;
  std::optional<std::string> pythonOutput;
  std::vector<std::string> pythonsRun;
  std::map<std::string, std::vector<std::string>> dirs;  // folder -> entries

  Environment environment() {
    Environment e;
    e.getenv = [this](const std::string& k) -> std::optional<std::string> {
      auto it = env.find(k);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    e.runPython = [this](const std::string& py, const std::string& code) -> std::optional<std::string> {
      pythonsRun.push_back(py);
      EXPECT_TRUE(contains(code, "getsitepackages"));
      EXPECT_TRUE(contains(code, "getusersitepackages"));
      return pythonOutput;
    };
    e.isDirectory = [this](const std::string& p) { return dirs.count(p) > 0; };
    e.listDirectory = [this](const std::string& p) {
      auto it = dirs.find(p);
      return it == dirs.end() ? std::vector<std::string>{} : it->second;
    };
    return e;
  }
};

/** Handles are the path strings; each library path maps to a version or an error. */
struct FakeLoader : Loader {
  std::map<std::string, std::string> errors;   // path -> dlerror text
  std::map<std::string, int32_t> versions;     // libnvinfer path -> getInferLibVersion()
  std::set<std::string> loadable;              // other libraries that open
  std::vector<std::string> opened, closed;
  static thread_local int32_t currentVersion;
  std::map<void*, std::string> handles;

  void* open(const std::string& path, std::string* error) override {
    opened.push_back(path);
    if (errors.count(path)) { *error = errors[path]; return nullptr; }
    if (!versions.count(path) && !loadable.count(path)) { *error = path + ": cannot open shared object file"; return nullptr; }
    auto* h = new std::string(path);
    handles[h] = path;
    return h;
  }
  void* symbol(void* handle, const char* name) override {
    std::string path = handles.at(handle);
    if (std::string(name) != "getInferLibVersion" || !versions.count(path)) return nullptr;
    currentVersion = versions[path];
    return reinterpret_cast<void*>(+[]() -> int32_t { return currentVersion; });
  }
  void close(void* handle) override {
    closed.push_back(handles.at(handle));
    handles.erase(handle);
    delete static_cast<std::string*>(handle);
  }
  ~FakeLoader() override {
    for (auto& [h, p] : handles) delete static_cast<std::string*>(h);
  }
};
thread_local int32_t FakeLoader::currentVersion = 0;

std::vector<std::string> dirsOf(const std::vector<Candidate>& c) {
  std::vector<std::string> v;
  for (const auto& x : c) v.push_back(x.dir);
  return v;
}

}  // namespace

TEST(Locate, CandidateOrder) {
  FakeWorld w;
  w.env["LD_LIBRARY_PATH"] = "/ld/a::/ld/b/";
  w.pythonOutput = "/venv/lib/python3.11/site-packages\n/home/u/.local/lib/python3.11/site-packages\n";
  w.dirs["/venv/lib/python3.11/site-packages/tensorrt_libs"] = {};
  w.dirs["/venv/lib/python3.11/site-packages/tensorrt"] = {};
  w.dirs["/home/u/.local/lib/python3.11/site-packages/tensorrt_cu12_libs"] = {};
  w.dirs["/home/u/.local/lib/python3.11/site-packages/tensorrt_cu13_libs"] = {};
  w.dirs["/usr/local"] = {"bin", "TensorRT-8.6.1", "TensorRT-10.3.0", "lib"};
  LocateOptions o;
  o.tensorrtLibDir = "/mine";
  o.python = "/venv/bin/python";
  auto c = candidateDirs(o, w.environment());
  EXPECT_EQ(dirsOf(c), (std::vector<std::string>{
                           "/mine", "/ld/a", "/ld/b/", "",
                           "/venv/lib/python3.11/site-packages/tensorrt_libs",
                           "/venv/lib/python3.11/site-packages/tensorrt",
                           "/home/u/.local/lib/python3.11/site-packages/tensorrt_cu12_libs",
                           "/home/u/.local/lib/python3.11/site-packages/tensorrt_cu13_libs",
                           "/usr/lib/x86_64-linux-gnu", "/usr/local/TensorRT-8.6.1/lib", "/usr/local/TensorRT-10.3.0/lib",
                           "/opt/tensorrt/lib"}));
  EXPECT_EQ(c[0].origin, "--tensorrt-lib-dir");
  EXPECT_EQ(c[1].origin, "LD_LIBRARY_PATH");
  EXPECT_EQ(c[4].origin, "pip tensorrt_libs (/venv/bin/python)");
  EXPECT_EQ(w.pythonsRun, (std::vector<std::string>{"/venv/bin/python"}));
}

TEST(Locate, DefaultPythonAndDuplicatesTriedOnce) {
  FakeWorld w;
  w.env["LD_LIBRARY_PATH"] = "/opt/tensorrt/lib/";
  w.pythonOutput = std::nullopt;
  auto c = candidateDirs({}, w.environment());
  EXPECT_EQ(dirsOf(c), (std::vector<std::string>{"/opt/tensorrt/lib/", "", "/usr/lib/x86_64-linux-gnu"}));
  EXPECT_EQ(w.pythonsRun, (std::vector<std::string>{"python3"}));
}

TEST(Locate, LoadsFromTheFirstFolderWithTheRightMajor) {
  FakeWorld w;
  w.env["LD_LIBRARY_PATH"] = "/ld";
  w.pythonOutput = "/site\n";
  w.dirs["/ld"] = {"libnvinfer.so.10", "libnvinfer.so.10.3.0"};
  w.dirs["/site/tensorrt_libs"] = {"libnvinfer.so.8", "libnvonnxparser.so.8"};
  FakeLoader l;
  l.errors["libnvinfer.so.8"] = "libnvinfer.so.8: cannot open shared object file: No such file or directory";
  l.versions["/site/tensorrt_libs/libnvinfer.so.8"] = 8601;
  l.loadable.insert("/site/tensorrt_libs/libnvonnxparser.so.8");
  LoadedTensorrt t = loadTensorrt(8, {}, w.environment(), l);
  EXPECT_EQ(t.dir, "/site/tensorrt_libs");
  EXPECT_EQ(t.origin, "pip tensorrt_libs (python3)");
  EXPECT_EQ(t.version(), "8.6.1");
  EXPECT_NE(t.nvinfer, nullptr);
  EXPECT_NE(t.onnxparser, nullptr);
  EXPECT_EQ(l.opened, (std::vector<std::string>{"libnvinfer.so.8", "/site/tensorrt_libs/libnvinfer.so.8",
                                                "/site/tensorrt_libs/libnvonnxparser.so.8"}));
  l.close(t.nvinfer);
  l.close(t.onnxparser);
}

TEST(Locate, VersionEncodingsOf8And10Plus) {
  FakeWorld w;
  w.pythonOutput = "";
  w.dirs["/t"] = {"libnvinfer.so.10", "libnvonnxparser.so.10", "libnvinfer.so.11", "libnvonnxparser.so.11"};
  FakeLoader l;
  l.versions["/t/libnvinfer.so.10"] = 100300;  // 10.3.0
  l.versions["/t/libnvinfer.so.11"] = 110100;  // 11.1.0
  l.loadable = {"/t/libnvonnxparser.so.10", "/t/libnvonnxparser.so.11"};
  LocateOptions o;
  o.tensorrtLibDir = "/t";
  LoadedTensorrt t10 = loadTensorrt(10, o, w.environment(), l);
  EXPECT_EQ(t10.major, 10);
  EXPECT_EQ(t10.version(), "10.3.0");
  LoadedTensorrt t11 = loadTensorrt(11, o, w.environment(), l);
  EXPECT_EQ(t11.version(), "11.1.0");
}

TEST(Locate, EveryPlaceAndWhyWhenNothingLoads) {
  FakeWorld w;
  w.env["LD_LIBRARY_PATH"] = "/ld:/gone";
  w.pythonOutput = "/site\n";
  w.dirs["/ld"] = {"libnvinfer.so.10"};                                          // wrong major only
  w.dirs["/site/tensorrt_libs"] = {"libnvinfer.so.8", "libnvonnxparser.so.8"};  // missing dependency
  w.dirs["/wrong"] = {"libnvinfer.so.8"};                                       // a 10.x library under the .8 name
  w.dirs["/noparser"] = {"libnvinfer.so.8"};                                    // parser missing
  w.dirs["/usr/lib/x86_64-linux-gnu"] = {"libc.so.6"};
  w.dirs["/usr/local"] = {"TensorRT-8.6.1"};
  w.dirs["/usr/local/TensorRT-8.6.1/lib"] = {"libnvinfer.so.8"};
  FakeLoader l;
  l.errors["libnvinfer.so.8"] = "libnvinfer.so.8: cannot open shared object file: No such file or directory";
  l.errors["/site/tensorrt_libs/libnvinfer.so.8"] = "libcudnn.so.8: cannot open shared object file: No such file or directory";
  l.versions["/usr/local/TensorRT-8.6.1/lib/libnvinfer.so.8"] = 100300;
  LocateOptions o;
  o.tensorrtLibDir = "/noparser";
  l.versions["/noparser/libnvinfer.so.8"] = 8600;
  HelperError e(ErrorClass::internal, "");
  try {
    loadTensorrt(8, o, w.environment(), l);
    FAIL() << "expected no-tensorrt";
  } catch (const HelperError& err) {
    e = err;
  }
  EXPECT_EQ(e.cls, ErrorClass::noTensorrt);
  EXPECT_EQ(exitCodeOf(e.cls), 3);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& s : e.searched) got.push_back({s.path, s.reason});
  std::vector<std::pair<std::string, std::string>> want = {
      {"/noparser", "libnvinfer.so.8 loads (TensorRT 8.6.0) but /noparser/libnvonnxparser.so.8: cannot open shared "
                    "object file [--tensorrt-lib-dir]"},
      {"/ld", "libnvinfer.so.8: no such file; the folder has libnvinfer.so.10 (TensorRT 10) [LD_LIBRARY_PATH]"},
      {"/gone", "no such folder [LD_LIBRARY_PATH]"},
      {"(libnvinfer.so.8 by soname)",
       "libnvinfer.so.8: cannot open shared object file: No such file or directory [the loader's search by soname]"},
      {"/site/tensorrt_libs",
       "libcudnn.so.8: cannot open shared object file: No such file or directory [pip tensorrt_libs (python3)]"},
      {"/usr/lib/x86_64-linux-gnu", "libnvinfer.so.8: no such file [standard folder]"},
      {"/usr/local/TensorRT-8.6.1/lib",
       "libnvinfer.so.8 loads TensorRT 10.3.0, this helper is built for 8 [standard folder (/usr/local/TensorRT*/lib)]"},
      {"/opt/tensorrt/lib", "no such folder [standard folder]"},
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(std::string(e.what()), "TensorRT 8 was not found: looked in 8 places (see below); set "
                                   "onnxInspector.tensorrt.libDir or pass --tensorrt-lib-dir");
  EXPECT_EQ(l.handles.size(), 0u) << "every library opened on the way was closed";
}

TEST(Locate, PythonProblemsAreListed) {
  FakeWorld w;
  w.pythonOutput = std::nullopt;
  LocateOptions o;
  o.python = "/no/python";
  FakeLoader l;
  try {
    loadTensorrt(8, o, w.environment(), l);
    FAIL() << "expected no-tensorrt";
  } catch (const HelperError& e) {
    // In LOCATE order: after the soname search, before the standard folders.
    ASSERT_GE(e.searched.size(), 2u);
    EXPECT_EQ(e.searched[0].path, "(libnvinfer.so.8 by soname)");
    EXPECT_EQ(e.searched[1].path, "/no/python");
    EXPECT_EQ(e.searched[1].reason, "could not run /no/python to list its site-packages (pip packages not searched)");
  }
  w.pythonOutput = "/s1\n/s2\n";
  try {
    loadTensorrt(8, {}, w.environment(), l);
    FAIL() << "expected no-tensorrt";
  } catch (const HelperError& e) {
    EXPECT_EQ(e.searched[1].path, "pip (python3)");
    EXPECT_TRUE(contains(e.searched[1].reason, "folder in its site-packages: /s1, /s2"));
  }
}

TEST(Locate, RealFoldersWithFakeLibraries) {
  // The system environment and loader on a temp tree: an empty libnvinfer.so.8 makes dlopen fail with its own text.
  TempDir tmp;
  std::string lib = tmp.path() + "/lib";
  mkdir(lib.c_str(), 0755);
  writeText(lib + "/libnvinfer.so.8", "");
  writeText(lib + "/libnvinfer.so.10", "");
  Environment env = systemEnvironment();
  EXPECT_TRUE(env.isDirectory(lib));
  EXPECT_FALSE(env.isDirectory(lib + "/libnvinfer.so.8"));
  EXPECT_EQ(env.listDirectory(lib), (std::vector<std::string>{"libnvinfer.so.10", "libnvinfer.so.8"}));
  env.getenv = [](const std::string&) { return std::nullopt; };
  env.runPython = [](const std::string&, const std::string&) { return std::optional<std::string>(""); };
  LocateOptions o;
  o.tensorrtLibDir = lib;
  try {
    loadTensorrt(8, o, env, systemLoader());
    FAIL() << "expected no-tensorrt";
  } catch (const HelperError& e) {
    ASSERT_FALSE(e.searched.empty());
    EXPECT_EQ(e.searched[0].path, lib);
    EXPECT_TRUE(contains(e.searched[0].reason, lib + "/libnvinfer.so.8"));
    EXPECT_TRUE(contains(e.searched[0].reason, "[--tensorrt-lib-dir]"));
  }
}

TEST(Locate, SystemPythonListsSitePackages) {
  Environment env = systemEnvironment();
  std::optional<std::string> none = env.runPython("/nonexistent/python-for-test", "print(1)");
  EXPECT_FALSE(none.has_value());
  std::optional<std::string> fails = env.runPython("sh", "exit 3");
  EXPECT_FALSE(fails.has_value());
  std::optional<std::string> out = env.runPython("python3", "print('a')\nprint('b')");
  if (!out) GTEST_SKIP() << "python3 is not on PATH: not checking the real interpreter";
  EXPECT_EQ(*out, "a\nb\n");
}
