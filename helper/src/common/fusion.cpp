#include "fusion.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "errors.h"

namespace oi {

namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

/** Splits at `sep` outside parentheses/brackets. */
std::vector<std::string> splitTopLevel(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') --depth;
    else if (depth == 0 && s.compare(i, sep.size(), sep) == 0) {
      parts.push_back(trim(s.substr(start, i - start)));
      start = i + sep.size();
      i = start - 1;
    }
  }
  parts.push_back(trim(s.substr(start)));
  return parts;
}

/** The network layer names an engine layer name lists: `A + B`, `PWN(A, B)` (nested too). */
void collectParts(const std::string& part, std::vector<std::string>& out) {
  for (const std::string& p : splitTopLevel(part, " + ")) {
    if (p.size() > 5 && p.compare(0, 4, "PWN(") == 0 && p.back() == ')') {
      for (const std::string& inner : splitTopLevel(p.substr(4, p.size() - 5), ",")) collectParts(inner, out);
    } else if (!p.empty()) {
      out.push_back(p);
    }
  }
}

struct EngineLayer {
  std::string name;
  std::vector<std::string> parts;   // network layer names it fuses
  std::string foreignFirst, foreignLast;  // a Myelin {ForeignNode[first...last]}
  bool foreign = false;
};

EngineLayer describe(const std::string& name) {
  EngineLayer e;
  e.name = name;
  static const std::string open = "{ForeignNode[", close = "]}";
  if (name.compare(0, open.size(), open) == 0 && name.size() >= open.size() + close.size() &&
      name.compare(name.size() - close.size(), close.size(), close) == 0) {
    std::string range = name.substr(open.size(), name.size() - open.size() - close.size());
    size_t dots = range.find("...");
    e.foreign = true;
    e.foreignFirst = dots == std::string::npos ? range : range.substr(0, dots);
    e.foreignLast = dots == std::string::npos ? range : range.substr(dots + 3);
    return e;
  }
  collectParts(name, e.parts);
  return e;
}

std::vector<std::string> engineLayerNames(const json::Value& engineInfo) {
  std::vector<std::string> names;
  const json::Value* layers = engineInfo.find("Layers");
  if (!layers || layers->kind() != json::Value::Kind::array) return names;
  for (const auto& l : layers->items()) {
    if (l.kind() == json::Value::Kind::string) {
      names.push_back(l.asString());
    } else if (const json::Value* n = l.find("Name"); n && n->kind() == json::Value::Kind::string) {
      names.push_back(n->asString());
    }
  }
  return names;
}

bool isReformat(const std::string& name) { return name.rfind("Reformatting CopyNode", 0) == 0; }

}  // namespace

std::vector<FusedTensor> explainFusion(const std::vector<NetworkLayer>& network, const json::Value& engineInfo,
                                       const std::set<std::string>& produced, const std::vector<std::string>& requested) {
  std::map<std::string, size_t> producerOf;  // tensor -> network layer index
  std::map<std::string, size_t> firstIndex, lastIndex;  // layer name -> index
  for (size_t i = 0; i < network.size(); ++i) {
    for (const auto& out : network[i].outputs) producerOf.emplace(out, i);
    firstIndex.emplace(network[i].name, i);
    lastIndex[network[i].name] = i;
  }
  std::vector<EngineLayer> engine;
  for (const auto& n : engineLayerNames(engineInfo))
    if (!isReformat(n)) engine.push_back(describe(n));

  std::vector<FusedTensor> fused;
  std::set<std::string> listed;
  for (const auto& tensor : requested) {
    if (produced.count(tensor) || !listed.insert(tensor).second) continue;
    FusedTensor f{tensor, std::nullopt};
    auto prod = producerOf.find(tensor);
    if (prod != producerOf.end()) {
      const size_t idx = prod->second;
      const std::string& layerName = network[idx].name;
      // A layer naming the producer exactly wins over a Myelin range that happens to span it.
      for (const auto& e : engine) {
        for (const auto& p : e.parts)
          if (p == layerName) { f.layer = e.name; break; }
        if (f.layer) break;
      }
      if (!f.layer) {
        for (const auto& e : engine) {
          if (!e.foreign) continue;
          auto a = firstIndex.find(e.foreignFirst), b = lastIndex.find(e.foreignLast);
          if (a != firstIndex.end() && b != lastIndex.end() && a->second <= idx && idx <= b->second) {
            f.layer = e.name;
            break;
          }
        }
      }
    }
    fused.push_back(std::move(f));
  }
  return fused;
}

void writeLayerInfo(const std::string& path, const std::string& tensorrtVersion, const std::string& runnerName,
                    const std::string& captureMode, const std::vector<FusedTensor>& fused,
                    const std::vector<SkippedTensor>& skipped, const json::Value& engineInfo) {
  json::Value o = json::Value::object();
  o.set("tensorrt", json::Value::string(tensorrtVersion));
  o.set("runnerName", json::Value::string(runnerName));
  o.set("captureMode", json::Value::string(captureMode));
  o.set("fused", fusedToJson(fused));
  o.set("skipped", skippedToJson(skipped));
  o.set("engine", engineInfo);
  std::string text = json::write(o) + "\n";
  // Written whole to a temporary name and renamed, so readers never see half a file.
  std::string tmp = path + ".partial";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw HelperError(ErrorClass::write, "cannot create the layer file " + tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int err = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw HelperError(ErrorClass::write, "cannot write the layer file " + path + ": " + std::strerror(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    std::remove(tmp.c_str());
    throw HelperError(ErrorClass::write, "cannot rename " + tmp + " to " + path + ": " + std::strerror(err));
  }
}

}  // namespace oi
