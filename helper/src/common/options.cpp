#include "options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include "errors.h"

namespace oi {

namespace {

[[noreturn]] void usage(const std::string& message) { throw HelperError(ErrorClass::usage, message); }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> splitComma(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    parts.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

int64_t parsePositiveInt(const std::string& option, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v <= 0)
    usage(option + " needs a positive whole number, got '" + text + "'");
  return v;
}

double parsePositiveNumber(const std::string& option, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || v <= 0)
    usage(option + " needs a positive number of seconds, got '" + text + "'");
  return v;
}

CaptureMode parseCaptureMode(const std::string& option, const std::string& text) {
  if (text == "mark") return CaptureMode::mark;
  if (text == "debug") return CaptureMode::debug;
  usage(option + " must be 'mark' or 'debug', got '" + text + "'");
}

void checkTacticSources(const std::string& option, const std::string& text) {
  if (text == "default" || text == "all") return;
  static const std::set<std::string> known = {"cublas", "cublaslt", "cudnn", "edge-mask-convolutions", "jit-convolutions"};
  for (const auto& part : splitComma(text))
    if (!known.count(part))
      usage(option + ": unknown tactic source '" + part +
            "' (use default, all, or a comma list of cublas,cublaslt,cudnn,edge-mask-convolutions,jit-convolutions)");
}

void checkCapture(const std::string& option, const std::string& text) {
  if (text == "all" || text == "outputs") return;
  for (const auto& part : splitComma(text))
    if (part.empty()) usage(option + " has an empty tensor name in '" + text + "' (use all, outputs, or NAME,NAME)");
}

void checkInputSpec(const std::string& option, const std::string& spec) {
  if (spec.empty()) usage(option + " needs a file (.json, .npz) or NAME=FILE.npy");
  size_t eq = spec.find('=');
  if (eq != std::string::npos && (eq == 0 || eq + 1 == spec.size()))
    usage(option + " '" + spec + "': expected NAME=FILE.npy");
}

/** The checks both the command line and serve-mode requests need once every field is in. */
void checkRunOptions(RunOptions& r, const std::string& modelWhat, const std::string& inputsWhat,
                     const std::string& saveWhat) {
  if (r.model.empty()) usage("run needs the model: " + modelWhat);
  if (r.inputs.empty()) usage("run needs " + inputsWhat);
  if (r.saveResults.empty()) usage("run needs " + saveWhat);
  if (!endsWith(r.saveResults, ".json"))
    usage(saveWhat + " must end in .json (a Polygraphy RunResults file), got '" + r.saveResults + "'");
}

}  // namespace

std::string defaultLayerInfoPath(const std::string& saveResults) {
  if (endsWith(saveResults, ".json")) return saveResults.substr(0, saveResults.size() - 5) + ".layers.json";
  return saveResults + ".layers.json";
}

std::string usageText() {
  return "usage:\n"
         "  onnx-inspector-trtN --version [--json] [LOCATE]\n"
         "  onnx-inspector-trtN run MODEL.onnx --inputs IN --save-results OUT.json [RUN OPTIONS] [LOCATE]\n"
         "  onnx-inspector-trtN serve [LOCATE]\n"
         "LOCATE: --tensorrt-lib-dir DIR, --python PY\n"
         "RUN OPTIONS: --inputs FILE|NAME=FILE.npy (repeatable), --save-results OUT.json,\n"
         "  --capture all|outputs|NAME,NAME, --capture-mode mark|debug, --fp16, --bf16, --int8, --tf32,\n"
         "  --obey-precision, --workspace MIB, --tactic-sources default|all|LIST, --runner-name NAME,\n"
         "  --layer-info FILE, --cache-dir DIR, --no-cache, --build-timeout SEC\n"
         "See helper/PROTOCOL.md.\n";
}

Command parseCommandLine(const std::vector<std::string>& args) {
  Command cmd;
  bool haveCommand = false;
  std::vector<std::string> positionals;
  std::set<std::string> seen;  // options that may be given once
  std::vector<std::string> runOnly;  // run options seen, to reject them on other commands

  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) usage(a + " needs a value");
      const std::string& v = args[++i];
      if (v.rfind("--", 0) == 0) usage(a + " needs a value, got the option '" + v + "'");
      return v;
    };
    auto once = [&]() {
      if (!seen.insert(a).second) usage(a + " given more than once");
    };
    auto runOption = [&]() { runOnly.push_back(a); };

    if (a == "--version") {
      if (haveCommand && cmd.kind != Command::Kind::version) usage("--version cannot be combined with a command");
      once();
      cmd.kind = Command::Kind::version;
      haveCommand = true;
    } else if (a == "--json") {
      once();
      cmd.json = true;
    } else if (a == "--tensorrt-lib-dir") {
      once();
      cmd.locate.tensorrtLibDir = value();
    } else if (a == "--python") {
      once();
      cmd.locate.python = value();
    } else if (a == "--inputs") {
      runOption();
      const std::string& v = value();
      checkInputSpec(a, v);
      cmd.run.inputs.push_back(v);
    } else if (a == "--save-results") {
      runOption(); once();
      cmd.run.saveResults = value();
    } else if (a == "--capture") {
      runOption(); once();
      cmd.run.capture = value();
      checkCapture(a, cmd.run.capture);
    } else if (a == "--capture-mode") {
      runOption(); once();
      cmd.run.captureMode = parseCaptureMode(a, value());
    } else if (a == "--fp16") {
      runOption(); once(); cmd.run.fp16 = true;
    } else if (a == "--bf16") {
      runOption(); once(); cmd.run.bf16 = true;
    } else if (a == "--int8") {
      runOption(); once(); cmd.run.int8 = true;
    } else if (a == "--tf32") {
      runOption(); once(); cmd.run.tf32 = true;
    } else if (a == "--obey-precision") {
      runOption(); once(); cmd.run.obeyPrecision = true;
    } else if (a == "--workspace") {
      runOption(); once();
      cmd.run.workspaceMiB = parsePositiveInt(a, value());
    } else if (a == "--tactic-sources") {
      runOption(); once();
      cmd.run.tacticSources = value();
      checkTacticSources(a, cmd.run.tacticSources);
    } else if (a == "--runner-name") {
      runOption(); once();
      cmd.run.runnerName = value();
      if (cmd.run.runnerName->empty()) usage("--runner-name must not be empty");
    } else if (a == "--layer-info") {
      runOption(); once();
      cmd.run.layerInfo = value();
    } else if (a == "--cache-dir") {
      runOption(); once();
      cmd.run.cacheDir = value();
    } else if (a == "--no-cache") {
      runOption(); once(); cmd.run.noCache = true;
    } else if (a == "--build-timeout") {
      runOption(); once();
      cmd.run.buildTimeoutSec = parsePositiveNumber(a, value());
    } else if (a.rfind("-", 0) == 0 && a.size() > 1) {
      usage("unknown option '" + a + "' (see --version, run, serve in helper/PROTOCOL.md)");
    } else if (!haveCommand) {
      if (a == "run") cmd.kind = Command::Kind::run;
      else if (a == "serve") cmd.kind = Command::Kind::serve;
      else usage("unknown command '" + a + "' (expected run, serve or --version)");
      haveCommand = true;
    } else {
      positionals.push_back(a);
    }
  }

  if (!haveCommand) usage("no command given (expected run, serve or --version)");
  if (cmd.json && cmd.kind != Command::Kind::version) usage("--json goes with --version only");
  if (cmd.kind != Command::Kind::run) {
    if (!runOnly.empty()) usage(runOnly.front() + " is a run option; it does not apply here");
    if (!positionals.empty()) usage("unexpected argument '" + positionals.front() + "'");
    return cmd;
  }
  if (positionals.size() > 1) usage("run takes one model, got also '" + positionals[1] + "'");
  if (!positionals.empty()) cmd.run.model = positionals.front();
  checkRunOptions(cmd.run, "run MODEL.onnx", "--inputs FILE", "--save-results OUT.json");
  return cmd;
}

RunOptions runOptionsFromJson(const json::Value& params) {
  if (params.kind() != json::Value::Kind::object) usage("run request: \"params\" must be an object");
  RunOptions r;
  auto str = [](const std::string& key, const json::Value& v) -> std::string {
    if (v.kind() != json::Value::Kind::string) usage("run request: \"" + key + "\" must be a string");
    return v.asString();
  };
  auto flag = [](const std::string& key, const json::Value& v) -> bool {
    if (v.kind() != json::Value::Kind::boolean) usage("run request: \"" + key + "\" must be true or false");
    return v.asBool();
  };
  auto num = [](const std::string& key, const json::Value& v) -> double {
    if (v.kind() != json::Value::Kind::number || !std::isfinite(v.asNumber()) || v.asNumber() <= 0)
      usage("run request: \"" + key + "\" must be a positive number");
    return v.asNumber();
  };
  for (const auto& [key, v] : params.members()) {
    if (v.isNull()) {
      if (key == "model" || key == "inputs" || key == "saveResults") usage("run request: \"" + key + "\" is required");
      continue;  // null = the default
    }
    if (key == "model") r.model = str(key, v);
    else if (key == "inputs") {
      if (v.kind() == json::Value::Kind::array) {
        for (const auto& item : v.items()) r.inputs.push_back(str(key, item));
      } else {
        r.inputs.push_back(str(key, v));
      }
      for (const auto& spec : r.inputs) checkInputSpec("run request: \"inputs\"", spec);
    } else if (key == "saveResults") r.saveResults = str(key, v);
    else if (key == "capture") { r.capture = str(key, v); checkCapture("run request: \"capture\"", r.capture); }
    else if (key == "captureMode") r.captureMode = parseCaptureMode("run request: \"captureMode\"", str(key, v));
    else if (key == "fp16") r.fp16 = flag(key, v);
    else if (key == "bf16") r.bf16 = flag(key, v);
    else if (key == "int8") r.int8 = flag(key, v);
    else if (key == "tf32") r.tf32 = flag(key, v);
    else if (key == "obeyPrecision") r.obeyPrecision = flag(key, v);
    else if (key == "workspaceMiB") {
      double d = num(key, v);
      if (d != std::floor(d)) usage("run request: \"workspaceMiB\" must be a whole number");
      r.workspaceMiB = static_cast<int64_t>(d);
    } else if (key == "tacticSources") {
      r.tacticSources = str(key, v);
      checkTacticSources("run request: \"tacticSources\"", r.tacticSources);
    } else if (key == "runnerName") r.runnerName = str(key, v);
    else if (key == "layerInfo") r.layerInfo = str(key, v);
    else if (key == "cacheDir") r.cacheDir = str(key, v);
    else if (key == "noCache") r.noCache = flag(key, v);
    else if (key == "buildTimeoutSec") r.buildTimeoutSec = num(key, v);
    else usage("run request: unknown parameter \"" + key + "\"");
  }
  checkRunOptions(r, "\"model\"", "\"inputs\"", "\"saveResults\"");
  return r;
}

}  // namespace oi
