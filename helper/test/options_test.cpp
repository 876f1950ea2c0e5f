#include "options.h"

#include "test_support.h"

using namespace oi;
using namespace oi::test;

static Command parse(std::vector<std::string> args) { return parseCommandLine(args); }
static std::string usageError(std::vector<std::string> args) {
  return errorOf(ErrorClass::usage, [&] { parseCommandLine(args); });
}
static const std::vector<std::string> kRun = {"run", "m.onnx", "--inputs", "in.json", "--save-results", "out.json"};
static std::vector<std::string> runWith(std::vector<std::string> extra) {
  std::vector<std::string> a = kRun;
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(Options, Version) {
  Command c = parse({"--version"});
  EXPECT_EQ(c.kind, Command::Kind::version);
  EXPECT_FALSE(c.json);
  c = parse({"--version", "--json", "--tensorrt-lib-dir", "/x/lib", "--python", "/venv/bin/python"});
  EXPECT_TRUE(c.json);
  EXPECT_EQ(c.locate.tensorrtLibDir.value(), "/x/lib");
  EXPECT_EQ(c.locate.python.value(), "/venv/bin/python");
  // LOCATE options may come first too.
  c = parse({"--python", "py", "--json", "--version"});
  EXPECT_EQ(c.kind, Command::Kind::version);
  EXPECT_EQ(c.locate.python.value(), "py");
}

TEST(Options, RunDefaults) {
  Command c = parse(kRun);
  EXPECT_EQ(c.kind, Command::Kind::run);
  const RunOptions& r = c.run;
  EXPECT_EQ(r.model, "m.onnx");
  EXPECT_EQ(r.inputs, (std::vector<std::string>{"in.json"}));
  EXPECT_EQ(r.saveResults, "out.json");
  EXPECT_EQ(r.capture, "all");
  EXPECT_EQ(r.captureMode, CaptureMode::automatic);
  EXPECT_FALSE(r.fp16 || r.bf16 || r.int8 || r.tf32 || r.obeyPrecision || r.noCache);
  EXPECT_EQ(r.workspaceMiB, 4096);
  EXPECT_EQ(r.tacticSources, "default");
  EXPECT_FALSE(r.runnerName || r.layerInfo || r.cacheDir);
  EXPECT_EQ(r.buildTimeoutSec, 1800);
  EXPECT_FALSE(c.locate.tensorrtLibDir || c.locate.python);
}

TEST(Options, RunEveryOption) {
  Command c = parse({"--tensorrt-lib-dir", "/trt", "run", "--inputs", "a=a.npy", "m.onnx", "--inputs", "b=b.npy",
                     "--save-results", "/o/r.json", "--capture", "t1,t2", "--capture-mode", "debug", "--fp16",
                     "--bf16", "--int8", "--tf32", "--obey-precision", "--workspace", "512", "--tactic-sources",
                     "cublas,jit-convolutions", "--runner-name", "trt-x", "--layer-info", "/o/l.json", "--cache-dir",
                     "/c", "--no-cache", "--build-timeout", "90.5", "--python", "python3.11"});
  const RunOptions& r = c.run;
  EXPECT_EQ(r.model, "m.onnx");
  EXPECT_EQ(r.inputs, (std::vector<std::string>{"a=a.npy", "b=b.npy"}));
  EXPECT_EQ(r.saveResults, "/o/r.json");
  EXPECT_EQ(r.capture, "t1,t2");
  EXPECT_EQ(r.captureMode, CaptureMode::debug);
  EXPECT_TRUE(r.fp16 && r.bf16 && r.int8 && r.tf32 && r.obeyPrecision && r.noCache);
  EXPECT_EQ(r.workspaceMiB, 512);
  EXPECT_EQ(r.tacticSources, "cublas,jit-convolutions");
  EXPECT_EQ(r.runnerName.value(), "trt-x");
  EXPECT_EQ(r.layerInfo.value(), "/o/l.json");
  EXPECT_EQ(r.cacheDir.value(), "/c");
  EXPECT_EQ(r.buildTimeoutSec, 90.5);
  EXPECT_EQ(c.locate.tensorrtLibDir.value(), "/trt");
  EXPECT_EQ(c.locate.python.value(), "python3.11");
  EXPECT_EQ(parse(runWith({"--capture-mode", "mark"})).run.captureMode, CaptureMode::mark);
  EXPECT_EQ(parse(runWith({"--capture", "outputs"})).run.capture, "outputs");
  EXPECT_EQ(parse(runWith({"--tactic-sources", "all"})).run.tacticSources, "all");
}

TEST(Options, Serve) {
  Command c = parse({"serve", "--tensorrt-lib-dir", "/trt"});
  EXPECT_EQ(c.kind, Command::Kind::serve);
  EXPECT_EQ(c.locate.tensorrtLibDir.value(), "/trt");
}

TEST(Options, UsageErrors) {
  EXPECT_EQ(usageError({}), "no command given (expected run, serve or --version)");
  EXPECT_EQ(usageError({"build"}), "unknown command 'build' (expected run, serve or --version)");
  EXPECT_EQ(usageError(runWith({"--fp8"})), "unknown option '--fp8' (see --version, run, serve in helper/PROTOCOL.md)");
  EXPECT_EQ(usageError(runWith({"--workspace"})), "--workspace needs a value");
  EXPECT_EQ(usageError(runWith({"--runner-name", "--fp16"})), "--runner-name needs a value, got the option '--fp16'");
  EXPECT_EQ(usageError(runWith({"--workspace", "4k"})), "--workspace needs a positive whole number, got '4k'");
  EXPECT_EQ(usageError(runWith({"--workspace", "0"})), "--workspace needs a positive whole number, got '0'");
  EXPECT_EQ(usageError(runWith({"--workspace", "-5"})), "--workspace needs a positive whole number, got '-5'");
  EXPECT_EQ(usageError(runWith({"--build-timeout", "soon"})),
            "--build-timeout needs a positive number of seconds, got 'soon'");
  EXPECT_EQ(usageError(runWith({"--build-timeout", "0"})), "--build-timeout needs a positive number of seconds, got '0'");
  EXPECT_EQ(usageError(runWith({"--capture-mode", "both"})), "--capture-mode must be 'mark' or 'debug', got 'both'");
  EXPECT_TRUE(contains(usageError(runWith({"--tactic-sources", "cublas,magic"})), "unknown tactic source 'magic'"));
  EXPECT_TRUE(contains(usageError(runWith({"--capture", "a,,b"})), "--capture has an empty tensor name"));
  EXPECT_EQ(usageError({"run", "m.onnx", "--inputs", "in.json", "--save-results", "out.npz"}),
            "--save-results OUT.json must end in .json (a Polygraphy RunResults file), got 'out.npz'");
  EXPECT_EQ(usageError({"run", "--inputs", "in.json", "--save-results", "o.json"}), "run needs the model: run MODEL.onnx");
  EXPECT_EQ(usageError({"run", "m.onnx", "--save-results", "o.json"}), "run needs --inputs FILE");
  EXPECT_EQ(usageError({"run", "m.onnx", "--inputs", "in.json"}), "run needs --save-results OUT.json");
  EXPECT_EQ(usageError(runWith({"other.onnx"})), "run takes one model, got also 'other.onnx'");
  EXPECT_EQ(usageError(runWith({"--fp16", "--fp16"})), "--fp16 given more than once");
  EXPECT_EQ(usageError(runWith({"--save-results", "b.json"})), "--save-results given more than once");
  EXPECT_EQ(usageError(runWith({"--inputs", "=x.npy"})), "--inputs '=x.npy': expected NAME=FILE.npy");
  EXPECT_EQ(usageError({"serve", "--fp16"}), "--fp16 is a run option; it does not apply here");
  EXPECT_EQ(usageError({"serve", "extra"}), "unexpected argument 'extra'");
  EXPECT_EQ(usageError({"serve", "--json"}), "--json goes with --version only");
  EXPECT_EQ(usageError({"run", "--version"}), "--version cannot be combined with a command");
  EXPECT_EQ(usageError({"--version", "--python"}), "--python needs a value");
  EXPECT_EQ(usageError({"--version", "--tensorrt-lib-dir"}), "--tensorrt-lib-dir needs a value");
  EXPECT_EQ(usageError(runWith({"--runner-name", ""})), "--runner-name must not be empty");
}

TEST(Options, DefaultLayerInfoPathAndUsageText) {
  EXPECT_EQ(defaultLayerInfoPath("/x/out.json"), "/x/out.layers.json");
  EXPECT_EQ(defaultLayerInfoPath("out"), "out.layers.json");
  std::string u = usageText();
  for (const char* opt : {"--inputs", "--save-results", "--capture", "--capture-mode", "--fp16", "--bf16", "--int8",
                          "--tf32", "--obey-precision", "--workspace", "--tactic-sources", "--runner-name",
                          "--layer-info", "--cache-dir", "--no-cache", "--build-timeout", "--tensorrt-lib-dir",
                          "--python", "serve", "--version"})
    EXPECT_TRUE(contains(u, opt));
}

TEST(Options, ServeParamsFromJson) {
  // The serve example of PROTOCOL.md.
  json::Value p = json::parse(R"({"model":"/x/m.onnx","inputs":"/t/in.json","saveResults":"/t/out.json","capture":"all",
    "captureMode":"mark","fp16":false,"bf16":false,"int8":false,"tf32":false,"obeyPrecision":false,"workspaceMiB":4096,
    "tacticSources":"default","runnerName":null,"layerInfo":null,"cacheDir":null,"noCache":false,"buildTimeoutSec":1800})");
  RunOptions r = runOptionsFromJson(p);
  EXPECT_EQ(r.model, "/x/m.onnx");
  EXPECT_EQ(r.inputs, (std::vector<std::string>{"/t/in.json"}));
  EXPECT_EQ(r.saveResults, "/t/out.json");
  EXPECT_EQ(r.captureMode, CaptureMode::mark);
  EXPECT_EQ(r.workspaceMiB, 4096);
  EXPECT_FALSE(r.runnerName || r.layerInfo || r.cacheDir);

  RunOptions all = runOptionsFromJson(json::parse(R"({"model":"m","inputs":["a=a.npy","b=b.npy"],
    "saveResults":"o.json","capture":"x,y","captureMode":"debug","fp16":true,"bf16":true,"int8":true,"tf32":true,
    "obeyPrecision":true,"workspaceMiB":64,"tacticSources":"all","runnerName":"r","layerInfo":"l.json",
    "cacheDir":"/c","noCache":true,"buildTimeoutSec":2.5})"));
  EXPECT_EQ(all.inputs.size(), 2u);
  EXPECT_EQ(all.capture, "x,y");
  EXPECT_EQ(all.captureMode, CaptureMode::debug);
  EXPECT_TRUE(all.fp16 && all.bf16 && all.int8 && all.tf32 && all.obeyPrecision && all.noCache);
  EXPECT_EQ(all.workspaceMiB, 64);
  EXPECT_EQ(all.tacticSources, "all");
  EXPECT_EQ(all.runnerName.value(), "r");
  EXPECT_EQ(all.layerInfo.value(), "l.json");
  EXPECT_EQ(all.cacheDir.value(), "/c");
  EXPECT_EQ(all.buildTimeoutSec, 2.5);

  // null means the default
  RunOptions d = runOptionsFromJson(json::parse(R"({"model":"m","inputs":"i.npz","saveResults":"o.json",
    "captureMode":null,"workspaceMiB":null})"));
  EXPECT_EQ(d.captureMode, CaptureMode::automatic);
  EXPECT_EQ(d.workspaceMiB, 4096);
}

TEST(Options, ServeParamsErrors) {
  auto err = [](const std::string& text) {
    return errorOf(ErrorClass::usage, [&] { runOptionsFromJson(json::parse(text)); });
  };
  const std::string base = R"("model":"m","inputs":"i.json","saveResults":"o.json")";
  EXPECT_EQ(err("[]"), "run request: \"params\" must be an object");
  EXPECT_EQ(err(R"({"inputs":"i.json","saveResults":"o.json"})"), "run needs the model: \"model\"");
  EXPECT_EQ(err(R"({"model":"m","saveResults":"o.json"})"), "run needs \"inputs\"");
  EXPECT_EQ(err(R"({"model":"m","inputs":"i.json"})"), "run needs \"saveResults\"");
  EXPECT_EQ(err(R"({"model":null,"inputs":"i.json","saveResults":"o.json"})"), "run request: \"model\" is required");
  EXPECT_EQ(err("{" + base + R"(,"fp16":"yes"})"), "run request: \"fp16\" must be true or false");
  EXPECT_EQ(err("{" + base + R"(,"workspaceMiB":-1})"), "run request: \"workspaceMiB\" must be a positive number");
  EXPECT_EQ(err("{" + base + R"(,"workspaceMiB":1.5})"), "run request: \"workspaceMiB\" must be a whole number");
  EXPECT_EQ(err("{" + base + R"(,"captureMode":"x"})"), "run request: \"captureMode\" must be 'mark' or 'debug', got 'x'");
  EXPECT_EQ(err("{" + base + R"(,"color":"red"})"), "run request: unknown parameter \"color\"");
  EXPECT_EQ(err("{" + base + R"(,"model":3})"), "run request: \"model\" must be a string");
  EXPECT_EQ(err(R"({"model":"m","inputs":"i.json","saveResults":"o.txt"})"),
            "\"saveResults\" must end in .json (a Polygraphy RunResults file), got 'o.txt'");
}
