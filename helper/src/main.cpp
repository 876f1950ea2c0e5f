// onnx-inspector-trt<MAJOR>: the command line (PROTOCOL.md): --version, run, serve. Every failure ends in one
// `error` event on stdout and the exit code of its class; nothing leaves without an event.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/errors.h"
#include "common/events.h"
#include "common/json.h"
#include "common/options.h"
#include "trt/log.h"
#include "trt/trt_run.h"

namespace {

using oi::ErrorClass;
using oi::HelperError;

/** Runs f; an exception becomes the error event on `emit` and its exit code. */
template <typename F>
int guarded(const oi::Emitter& emit, F&& f) {
  try {
    return f();
  } catch (const HelperError& e) {
    oi::logInfo(std::string("error (") + oi::errorClassName(e.cls) + "): " + e.what());
    emit.error(e);
    return oi::exitCodeOf(e.cls);
  } catch (const std::bad_alloc&) {
    HelperError e(ErrorClass::internal, "out of host memory");
    oi::logInfo("error (internal): out of host memory");
    emit.error(e);
    return oi::exitCodeOf(e.cls);
  } catch (const std::exception& e) {
    HelperError h(ErrorClass::internal, std::string("internal error: ") + e.what());
    oi::logInfo(std::string("error (internal): ") + e.what());
    emit.error(h);
    return oi::exitCodeOf(h.cls);
  } catch (...) {
    HelperError h(ErrorClass::internal, "internal error: unknown exception");
    oi::logInfo("error (internal): unknown exception");
    emit.error(h);
    return oi::exitCodeOf(h.cls);
  }
}

/** An error event with "id": null (a request line that could not be read). */
void errorWithNullId(const std::string& message) {
  oi::json::Value v = oi::json::Value::object();
  v.set("event", oi::json::Value::string("error"));
  v.set("id", oi::json::Value());
  v.set("class", oi::json::Value::string(oi::errorClassName(ErrorClass::usage)));
  v.set("message", oi::json::Value::string(message));
  v.set("node", oi::json::Value());
  v.set("searched", oi::json::Value::array());
  oi::Emitter().raw(std::move(v));
}

int serve(const oi::LocateOptions& locate) {
  oi::logInfo("serve: reading requests from stdin, one JSON object a line");
  std::string line;
  int64_t handled = 0;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    oi::json::Value request;
    try {
      request = oi::json::parse(line);
    } catch (const std::exception& e) {
      errorWithNullId(std::string("the request is not JSON: ") + e.what());
      continue;
    }
    if (request.kind() != oi::json::Value::Kind::object) {
      errorWithNullId("the request is not a JSON object");
      continue;
    }
    const oi::json::Value* idValue = request.find("id");
    if (!idValue || idValue->kind() != oi::json::Value::Kind::number) {
      errorWithNullId("the request has no numeric \"id\"");
      continue;
    }
    const auto id = static_cast<int64_t>(idValue->asNumber());
    const oi::Emitter emit(id);
    const oi::json::Value* method = request.find("method");
    const std::string m = method && method->kind() == oi::json::Value::Kind::string ? method->asString() : "";
    oi::logInfo("serve: request " + std::to_string(id) + " " + (m.empty() ? "(no method)" : m));
    ++handled;
    if (m == "version") {
      guarded(emit, [&] { return oi::reportVersion(locate, emit, true); });
    } else if (m == "run") {
      const int code = guarded(emit, [&] {
        const oi::json::Value* params = request.find("params");
        if (!params || params->kind() != oi::json::Value::Kind::object) {
          throw HelperError(ErrorClass::usage, "a run request needs \"params\" (an object)");
        }
        oi::RunOptions opts = oi::runOptionsFromJson(*params);
        oi::runTensorrt(opts, locate, emit);
        return 0;
      });
      oi::logInfo("serve: request " + std::to_string(id) + " ended with code " + std::to_string(code));
    } else {
      guarded(emit, [&]() -> int {
        throw HelperError(ErrorClass::usage, "unknown method '" + m + "' (known: version, run)");
      });
    }
  }
  oi::logInfo("serve: end of input after " + std::to_string(handled) + " requests");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(true);
  oi::installCancelHandler();
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(oi::usageText().c_str(), stdout);
      return 0;
    }
  }
  const oi::Emitter emit;
  oi::Command cmd;
  const int parsed = guarded(emit, [&] {
    cmd = oi::parseCommandLine(args);
    return 0;
  });
  if (parsed != 0) {
    std::fputs(oi::usageText().c_str(), stderr);
    return parsed;
  }
  switch (cmd.kind) {
    case oi::Command::Kind::version:
      return guarded(emit, [&] { return oi::reportVersion(cmd.locate, emit, cmd.json); });
    case oi::Command::Kind::run:
      return guarded(emit, [&] {
        oi::runTensorrt(cmd.run, cmd.locate, emit);
        return 0;
      });
    case oi::Command::Kind::serve:
      return guarded(emit, [&] { return serve(cmd.locate); });
  }
  return guarded(emit, []() -> int { throw HelperError(ErrorClass::internal, "unknown command"); });
}
