#include "inputs.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <limits>
#include <set>

#include "base64.h"
#include "errors.h"
#include "json.h"
#include "npz.h"
#include "onnx_scan.h"

namespace oi {

namespace {

[[noreturn]] void bad(const std::string& what) { throw HelperError(ErrorClass::badInput, what); }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/** The whole file as text, read straight into the string (inputs files may hold 100+ MB of base64). */
std::string readText(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) bad("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::fclose(f);
    bad("cannot read " + path + ": " + std::strerror(EISDIR));
  }
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  bool failed = std::ferror(f);
  int err = errno;
  std::fclose(f);
  if (failed) bad("cannot read " + path + ": " + std::strerror(err));
  return text;
}

/** {"array": "<base64 npy>", "polygraphy_class": "ndarray"}, or a LazyArray {"values": {...}}. */
HostTensor tensorFromJson(const std::string& file, const std::string& name, const json::Value& v) {
  const std::string where = file + ": input '" + name + "'";
  const json::Value* arrayHolder = &v;
  if (const json::Value* values = v.find("values")) arrayHolder = values;
  const json::Value* array = arrayHolder->find("array");
  if (!array || array->kind() != json::Value::Kind::string)
    bad(where + " is not a Polygraphy ndarray (expected {\"array\": \"<base64 npy>\", \"polygraphy_class\": \"ndarray\"})");
  std::vector<uint8_t> npy;
  try {
    npy = base64::decode(array->asString());
  } catch (const std::exception& e) {
    bad(where + ": " + e.what());
  }
  HostTensor t = decodeNpy(where, npy.data(), npy.size());
  t.name = name;
  return t;
}

std::vector<HostTensor> readJsonInputs(const std::string& path) {
  json::Value doc;
  try {
    doc = json::parse(readText(path));
  } catch (const HelperError&) {
    throw;
  } catch (const std::exception& e) {
    bad(path + ": not valid JSON (" + e.what() + ")");
  }
  if (doc.kind() != json::Value::Kind::array)
    bad(path + ": expected a Polygraphy inputs file (a JSON list of feed dicts)");
  if (doc.items().empty()) bad(path + ": the inputs list is empty (no iteration to run)");
  const json::Value& feed = doc.items().front();
  if (feed.kind() != json::Value::Kind::object) bad(path + ": iteration 0 is not a dict of input name -> array");
  std::vector<HostTensor> out;
  for (const auto& [name, value] : feed.members()) out.push_back(tensorFromJson(path, name, value));
  return out;
}

std::vector<HostTensor> readNpzInputs(const std::string& path) {
  std::vector<uint8_t> bytes = readFileBytes(path);
  std::vector<HostTensor> out;
  for (const NpzEntry& e : readZipEntries(path, bytes)) {
    std::string name = endsWith(e.name, ".npy") ? e.name.substr(0, e.name.size() - 4) : e.name;
    HostTensor t = decodeNpy(path + ": entry '" + e.name + "'", e.data.data(), e.data.size());
    t.name = name;
    out.push_back(std::move(t));
  }
  if (out.empty()) bad(path + ": the .npz archive has no arrays");
  return out;
}

}  // namespace

std::vector<HostTensor> readInputs(const std::vector<std::string>& specs) {
  std::vector<HostTensor> all;
  std::set<std::string> names;
  for (const std::string& spec : specs) {
    std::vector<HostTensor> got;
    // NAME=FILE when the part before '=' is a name, not a folder path that happens to hold '='.
    size_t eq = spec.find('=');
    bool named = eq != std::string::npos && eq > 0 && spec.find('/') > eq;
    if (named) {
      std::string name = spec.substr(0, eq), file = spec.substr(eq + 1);
      std::vector<uint8_t> bytes = readFileBytes(file);
      HostTensor t = decodeNpy(file, bytes.data(), bytes.size());
      t.name = name;
      got.push_back(std::move(t));
    } else if (endsWith(spec, ".json")) {
      got = readJsonInputs(spec);
    } else if (endsWith(spec, ".npz")) {
      got = readNpzInputs(spec);
    } else {
      bad("--inputs '" + spec + "': expected a .json (Polygraphy inputs), a .npz, or NAME=FILE.npy");
    }
    for (auto& t : got) {
      if (!names.insert(t.name).second) bad("--inputs '" + spec + "': input '" + t.name + "' is given more than once");
      all.push_back(std::move(t));
    }
  }
  return all;
}

void narrowInt64ToInt32(HostTensor& t) {
  if (t.dtype != DType::i64) return;
  size_t n = t.elementCount();
  std::vector<uint8_t> narrowed(n * 4);
  for (size_t i = 0; i < n; ++i) {
    int64_t v;
    std::memcpy(&v, t.data.data() + i * 8, 8);
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
      bad("input '" + t.name + "': int64 value " + std::to_string(v) + " at flat index " + std::to_string(i) +
          " does not fit in int32 (TensorRT runs int64 inputs as int32)");
    int32_t w = static_cast<int32_t>(v);
    std::memcpy(narrowed.data() + i * 4, &w, 4);
  }
  t.data = std::move(narrowed);
  t.dtype = DType::i32;
}

}  // namespace oi
