#include "events.h"

#include <sys/resource.h>

#include <cstdio>
#include <mutex>

namespace oi {

namespace {
std::mutex& stdoutMutex() {
  static std::mutex m;
  return m;
}
json::Value strings(const std::vector<std::string>& v) {
  json::Value a = json::Value::array();
  for (const auto& s : v) a.push(json::Value::string(s));
  return a;
}
}  // namespace

json::Value fusedToJson(const std::vector<FusedTensor>& fused) {
  json::Value a = json::Value::array();
  for (const auto& f : fused) {
    json::Value o = json::Value::object();
    o.set("tensor", json::Value::string(f.tensor));
    o.set("layer", f.layer ? json::Value::string(*f.layer) : json::Value());
    a.push(std::move(o));
  }
  return a;
}

json::Value skippedToJson(const std::vector<SkippedTensor>& skipped) {
  json::Value a = json::Value::array();
  for (const auto& s : skipped) {
    json::Value o = json::Value::object();
    o.set("name", json::Value::string(s.name));
    o.set("reason", json::Value::string(s.reason));
    a.push(std::move(o));
  }
  return a;
}

void Emitter::raw(json::Value event) const {
  if (id_) {
    // "id" right after "event" reads best; set() appends, so rebuild the object.
    json::Value withId = json::Value::object();
    bool placed = false;
    for (const auto& [k, v] : event.members()) {
      if (k == "id") continue;
      withId.set(k, v);
      if (k == "event") { withId.set("id", json::Value::number(double(*id_))); placed = true; }
    }
    if (!placed) withId.set("id", json::Value::number(double(*id_)));
    event = std::move(withId);
  }
  std::string line = json::write(event);
  line += '\n';
  std::lock_guard<std::mutex> lock(stdoutMutex());
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void Emitter::progress(const std::string& stage, const std::string& state, std::optional<double> seconds,
                       std::optional<int64_t> done, std::optional<int64_t> total) const {
  json::Value e = json::Value::object();
  e.set("event", json::Value::string("progress"));
  e.set("stage", json::Value::string(stage));
  e.set("state", json::Value::string(state));
  if (seconds) e.set("seconds", json::Value::number(*seconds));
  if (done) e.set("done", json::Value::number(double(*done)));
  if (total) e.set("total", json::Value::number(double(*total)));
  raw(std::move(e));
}

void Emitter::log(const std::string& level, const std::string& message) const {
  json::Value e = json::Value::object();
  e.set("event", json::Value::string("log"));
  e.set("level", json::Value::string(level));
  e.set("message", json::Value::string(message));
  raw(std::move(e));
}

void Emitter::result(const RunResultEvent& r) const {
  json::Value e = json::Value::object();
  e.set("event", json::Value::string("result"));
  e.set("runnerName", json::Value::string(r.runnerName));
  e.set("resultsPath", json::Value::string(r.resultsPath));
  e.set("layerInfoPath", json::Value::string(r.layerInfoPath));
  e.set("captured", strings(r.captured));
  e.set("skipped", skippedToJson(r.skipped));
  e.set("fused", fusedToJson(r.fused));
  e.set("engineCached", json::Value::boolean(r.engineCached));
  json::Value timings = json::Value::object();
  for (const auto& [stage, s] : r.timings) timings.set(stage, json::Value::number(s));
  e.set("timings", std::move(timings));
  if (r.peakRssMiB > 0) e.set("peakRssMiB", json::Value::number(r.peakRssMiB));
  e.set("notes", strings(r.notes));
  raw(std::move(e));
}

void Emitter::error(const HelperError& err) const {
  json::Value e = json::Value::object();
  e.set("event", json::Value::string("error"));
  e.set("class", json::Value::string(errorClassName(err.cls)));
  e.set("message", json::Value::string(err.what()));
  e.set("node", err.node.empty() ? json::Value() : json::Value::string(err.node));
  json::Value searched = json::Value::array();
  for (const auto& s : err.searched) {
    json::Value o = json::Value::object();
    o.set("path", json::Value::string(s.path));
    o.set("reason", json::Value::string(s.reason));
    searched.push(std::move(o));
  }
  e.set("searched", std::move(searched));
  raw(std::move(e));
}

}  // namespace oi

namespace oi {

double peakRssMiB() {
  rusage u{};
  if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace oi
