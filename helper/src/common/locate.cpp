#include "locate.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <set>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

namespace oi {

namespace {

class SystemLoader : public Loader {
 public:
  void* open(const std::string& path, std::string* error) override {
    dlerror();
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!h && error) {
      const char* e = dlerror();
      *error = e ? e : "dlopen failed";
    }
    return h;
  }
  void* symbol(void* handle, const char* name) override { return dlsym(handle, name); }
  void close(void* handle) override { dlclose(handle); }
};

/** Runs argv with stdout captured (stderr dropped); nullopt when it cannot start, fails, or exceeds 20 s. */
std::optional<std::string> runCapture(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  bool timedOut = false;
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, 1000);
    if (r > 0) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n > 0) { out.append(buf, size_t(n)); continue; }
      if (n == 0 || errno != EINTR) break;
    } else if (r < 0 && errno != EINTR) {
      break;
    }
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 20) { timedOut = true; kill(pid, SIGKILL); break; }
  }
  ::close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (timedOut || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

std::vector<std::string> splitLines(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    std::string part = s.substr(start, end - start);
    while (!part.empty() && (part.back() == '\r' || part.back() == ' ')) part.pop_back();
    if (!part.empty()) parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

// Prints every site-packages folder, one per line; guarded for interpreters (old virtualenvs) without them.
const char* kSitePackagesCode =
    "import site\n"
    "ds = list(getattr(site, 'getsitepackages', lambda: [])())\n"
    "u = getattr(site, 'getusersitepackages', None)\n"
    "ds += [u()] if u else []\n"
    "print('\\n'.join(ds))\n";

const char* kPipFolders[] = {"tensorrt_libs", "tensorrt_cu12_libs", "tensorrt_cu13_libs", "tensorrt"};

/** A place to try, or (note set) a finding to report in LOCATE order, such as a python that would not run. */
struct Step {
  Candidate candidate;
  std::optional<SearchEntry> note;
};

std::vector<Step> collectSteps(const LocateOptions& o, const Environment& env) {
  std::vector<Step> c;
  auto add = [&c](std::string dir, std::string origin) {
    c.push_back({Candidate{std::move(dir), std::move(origin)}, std::nullopt});
  };
  if (o.tensorrtLibDir && !o.tensorrtLibDir->empty()) add(*o.tensorrtLibDir, "--tensorrt-lib-dir");
  if (auto ld = env.getenv("LD_LIBRARY_PATH"))
    for (const auto& d : splitLines(*ld, ':')) add(d, "LD_LIBRARY_PATH");
  add("", "the loader's search by soname");

  std::string python = o.python && !o.python->empty() ? *o.python : "python3";
  std::optional<std::string> sites = env.runPython(python, kSitePackagesCode);
  if (!sites) {
    c.push_back({Candidate{}, SearchEntry{python, "could not run " + python + " to list its site-packages (pip packages not searched)"}});
  } else {
    std::vector<std::string> siteDirs = splitLines(*sites, '\n');
    bool any = false;
    for (const auto& site : siteDirs)
      for (const char* sub : kPipFolders) {
        std::string dir = site + "/" + sub;
        if (env.isDirectory(dir)) {
          add(dir, std::string("pip ") + sub + " (" + python + ")");
          any = true;
        }
      }
    if (!any) {
      std::string list;
      for (const auto& s : siteDirs) list += (list.empty() ? "" : ", ") + s;
      c.push_back({Candidate{}, SearchEntry{"pip (" + python + ")",
                                   "no tensorrt_libs, tensorrt_cu12_libs, tensorrt_cu13_libs or tensorrt folder in its "
                                   "site-packages" + (list.empty() ? std::string() : ": " + list)}});
    }
  }

  add("/usr/lib/x86_64-linux-gnu", "standard folder");
  std::vector<std::string> local;
  for (const auto& name : env.listDirectory("/usr/local"))
    if (name.rfind("TensorRT", 0) == 0) local.push_back(name);
  // Reverse name order tries later releases first; the major check rejects folders of other majors.
  std::sort(local.rbegin(), local.rend());
  for (const auto& name : local) add("/usr/local/" + name + "/lib", "standard folder (/usr/local/TensorRT*/lib)");
  add("/opt/tensorrt/lib", "standard folder");

  // The same folder found twice is tried once, under its first origin.
  std::vector<Step> unique;
  std::set<std::string> seen;
  for (auto& x : c) {
    std::string key = x.candidate.dir;
    while (key.size() > 1 && key.back() == '/') key.pop_back();
    if (x.note || seen.insert(key).second) unique.push_back(std::move(x));
  }
  return unique;
}

/** libnvinfer.so.M files of other majors in a folder, as "libnvinfer.so.10 (TensorRT 10), ...". */
std::string otherMajors(const std::vector<std::string>& entries, int wantMajor) {
  std::set<int> majors;
  const std::string prefix = "libnvinfer.so.";
  for (const auto& e : entries) {
    if (e.rfind(prefix, 0) != 0) continue;
    std::string rest = e.substr(prefix.size());
    size_t digits = 0;
    while (digits < rest.size() && isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 0) continue;
    int m = std::atoi(rest.substr(0, digits).c_str());
    if (m != wantMajor) majors.insert(m);
  }
  std::string out;
  for (int m : majors)
    out += (out.empty() ? "" : ", ") + prefix + std::to_string(m) + " (TensorRT " + std::to_string(m) + ")";
  return out;
}

}  // namespace

Loader& systemLoader() {
  static SystemLoader loader;
  return loader;
}

Environment systemEnvironment() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  env.runPython = [](const std::string& python, const std::string& code) {
    return runCapture({python, "-c", code});
  };
  env.isDirectory = [](const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  };
  env.listDirectory = [](const std::string& path) {
    std::vector<std::string> names;
    if (DIR* d = opendir(path.c_str())) {
      while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
      }
      closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  return env;
}

std::vector<Candidate> candidateDirs(const LocateOptions& o, const Environment& env) {
  std::vector<Candidate> c;
  for (auto& step : collectSteps(o, env))
    if (!step.note) c.push_back(std::move(step.candidate));
  return c;
}

std::string LoadedTensorrt::version() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

LoadedTensorrt loadTensorrt(int wantMajor, const LocateOptions& o, const Environment& env, Loader& loader) {
  std::vector<SearchEntry> searched;
  std::vector<Step> steps = collectSteps(o, env);
  const std::string want = std::to_string(wantMajor);
  const std::string inferName = "libnvinfer.so." + want, parserName = "libnvonnxparser.so." + want;

  for (const Step& step : steps) {
    if (step.note) {
      searched.push_back(*step.note);
      continue;
    }
    const Candidate& c = step.candidate;
    const std::string where = c.dir.empty() ? "(" + inferName + " by soname)" : c.dir;
    auto fail = [&](const std::string& reason) { searched.push_back({where, reason + " [" + c.origin + "]"}); };
    if (!c.dir.empty()) {
      if (!env.isDirectory(c.dir)) { fail("no such folder"); continue; }
      std::vector<std::string> entries = env.listDirectory(c.dir);
      if (std::find(entries.begin(), entries.end(), inferName) == entries.end()) {
        std::string others = otherMajors(entries, wantMajor);
        fail(inferName + ": no such file" + (others.empty() ? std::string() : "; the folder has " + others));
        continue;
      }
    }
    std::string error;
    void* infer = loader.open(c.dir.empty() ? inferName : c.dir + "/" + inferName, &error);
    if (!infer) { fail(error.empty() ? inferName + " could not be loaded" : error); continue; }
    using VersionFn = int32_t (*)();
    auto versionFn = reinterpret_cast<VersionFn>(loader.symbol(infer, "getInferLibVersion"));
    if (!versionFn) {
      loader.close(infer);
      fail(inferName + " has no getInferLibVersion (not TensorRT's library?)");
      continue;
    }
    int32_t v = versionFn();
    LoadedTensorrt t;
    // 8.x encodes major*1000 + minor*100 + patch; 10 and later major*10000 + minor*100 + patch.
    if (v >= 10000) { t.major = v / 10000; t.minor = (v / 100) % 100; t.patch = v % 100; }
    else { t.major = v / 1000; t.minor = (v / 100) % 10; t.patch = v % 100; }
    if (t.major != wantMajor) {
      loader.close(infer);
      fail(inferName + " loads TensorRT " + t.version() + ", this helper is built for " + want);
      continue;
    }
    error.clear();
    void* parser = loader.open(c.dir.empty() ? parserName : c.dir + "/" + parserName, &error);
    if (!parser) {
      loader.close(infer);
      fail(inferName + " loads (TensorRT " + t.version() + ") but " +
           (error.empty() ? parserName + " could not be loaded" : error));
      continue;
    }
    t.nvinfer = infer;
    t.onnxparser = parser;
    t.dir = c.dir;
    t.origin = c.origin;
    return t;
  }
  throw HelperError(ErrorClass::noTensorrt,
                    "TensorRT " + want + " was not found: looked in " + std::to_string(searched.size()) +
                        " places (see below); set onnxInspector.tensorrt.libDir or pass --tensorrt-lib-dir",
                    "", searched);
}

}  // namespace oi
