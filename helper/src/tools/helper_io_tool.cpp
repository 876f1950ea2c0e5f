// Cross-language test tool: the helper's file readers/writers driven from TypeScript and shell tests.
//   helper-io-tool write-results INPUTS_FILE OUT.json RUNNER
//   helper-io-tool scan MODEL.onnx
//   helper-io-tool fusion NETWORK.json ENGINE.json
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "errors.h"
#include "fusion.h"
#include "inputs.h"
#include "json.h"
#include "onnx_scan.h"
#include "results_writer.h"

using namespace oi;

namespace {

int usage() {
  std::cerr << "usage: helper-io-tool write-results INPUTS_FILE OUT.json RUNNER\n"
               "       helper-io-tool scan MODEL.onnx\n"
               "       helper-io-tool fusion NETWORK.json ENGINE.json\n";
  return 2;
}

json::Value readJsonFile(const std::string& path) {
  std::vector<uint8_t> bytes = readFileBytes(path);
  try {
    return json::parse(std::string(bytes.begin(), bytes.end()));
  } catch (const std::runtime_error& e) {
    throw HelperError(ErrorClass::badInput, path + ": " + e.what());
  }
}

int writeResults(const std::string& inputs, const std::string& out, const std::string& runner) {
  std::vector<HostTensor> tensors = readInputs({inputs});
  ResultsWriter w(out, runner);
  for (const auto& t : tensors) w.add(t);
  w.finish(0.0);
  return 0;
}

int scan(const std::string& model) {
  OnnxSummary s = scanOnnxFile(model);
  json::Value o = json::Value::object();
  o.set("irVersion", json::Value::number(double(s.irVersion)));
  json::Value opsets = json::Value::object();
  for (const auto& [domain, v] : s.opsets) opsets.set(domain, json::Value::number(double(v)));
  o.set("opsets", std::move(opsets));
  auto strings = [](const std::vector<std::string>& v) {
    json::Value a = json::Value::array();
    for (const auto& x : v) a.push(json::Value::string(x));
    return a;
  };
  o.set("nodeNames", strings(s.nodeNames));
  o.set("nodeOps", strings(s.nodeOps));
  o.set("externalDataLocations", strings(s.externalDataLocations));
  std::cout << json::write(o) << "\n";
  return 0;
}

/** NETWORK.json: {"layers":[{"name":..,"outputs":[..]}], "produced":[..], "requested":[..]}. */
int fusion(const std::string& networkPath, const std::string& enginePath) {
  json::Value net = readJsonFile(networkPath);
  std::vector<NetworkLayer> layers;
  std::set<std::string> produced;
  std::vector<std::string> requested;
  auto need = [&](const char* key) -> const json::Value& {
    const json::Value* v = net.find(key);
    if (!v || v->kind() != json::Value::Kind::array)
      throw HelperError(ErrorClass::badInput, networkPath + ": needs a \"" + key + "\" list");
    return *v;
  };
  for (const auto& l : need("layers").items()) {
    NetworkLayer nl;
    nl.name = l.find("name") ? l.find("name")->asString() : "";
    if (const json::Value* outs = l.find("outputs"))
      for (const auto& o : outs->items()) nl.outputs.push_back(o.asString());
    layers.push_back(std::move(nl));
  }
  for (const auto& p : need("produced").items()) produced.insert(p.asString());
  for (const auto& r : need("requested").items()) requested.push_back(r.asString());
  std::cout << json::write(fusedToJson(explainFusion(layers, readJsonFile(enginePath), produced, requested))) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if (a.size() == 4 && a[0] == "write-results") return writeResults(a[1], a[2], a[3]);
    if (a.size() == 2 && a[0] == "scan") return scan(a[1]);
    if (a.size() == 3 && a[0] == "fusion") return fusion(a[1], a[2]);
    return usage();
  } catch (const HelperError& e) {
    std::cerr << "helper-io-tool: " << errorClassName(e.cls) << ": " << e.what() << "\n";
    return exitCodeOf(e.cls);
  } catch (const std::exception& e) {
    std::cerr << "helper-io-tool: internal: " << e.what() << "\n";
    return 1;
  }
}
