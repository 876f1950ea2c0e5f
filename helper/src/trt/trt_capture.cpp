#include "trt/trt_capture.h"

#include <algorithm>
#include <deque>
#include <map>

#include "common/errors.h"
#include "trt/log.h"
#include "trt/trt_util.h"

namespace oi::trt {

using nvinfer1::ILayer;
using nvinfer1::INetworkDefinition;
using nvinfer1::ITensor;
using nvinfer1::LayerType;

std::vector<NetworkLayer> networkLayers(INetworkDefinition& network) {
  std::vector<NetworkLayer> out;
  const int32_t n = network.getNbLayers();
  out.reserve(static_cast<size_t>(std::max(n, 0)));
  for (int32_t i = 0; i < n; ++i) {
    ILayer* layer = network.getLayer(i);
    if (!layer) continue;
    NetworkLayer nl;
    nl.name = layer->getName() ? layer->getName() : "";
    for (int32_t j = 0; j < layer->getNbOutputs(); ++j) {
      ITensor* t = layer->getOutput(j);
      if (t && t->getName()) nl.outputs.emplace_back(t->getName());
    }
    out.push_back(std::move(nl));
  }
  return out;
}

namespace {

bool isBoundary(LayerType t) {
  return t == LayerType::kRECURRENCE || t == LayerType::kITERATOR || t == LayerType::kTRIP_LIMIT ||
         t == LayerType::kLOOP_OUTPUT;
}

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  for (auto& x : out) {
    while (!x.empty() && x.front() == ' ') x.erase(x.begin());
    while (!x.empty() && x.back() == ' ') x.pop_back();
  }
  out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
  return out;
}

}  // namespace

std::set<std::string> loopBodyTensors(INetworkDefinition& network, bool broad) {
  std::set<std::string> body;
  const int32_t n = network.getNbLayers();
  // consumers of each tensor, and the loop ranges by ILoop
  std::map<const ITensor*, std::vector<int32_t>> consumers;
  std::map<const void*, std::pair<int32_t, int32_t>> loopRange;  // ILoop* -> [first, last] layer index
  int32_t firstBoundary = -1, lastBoundary = -1;
  for (int32_t i = 0; i < n; ++i) {
    ILayer* layer = network.getLayer(i);
    if (!layer) continue;
    for (int32_t j = 0; j < layer->getNbInputs(); ++j) {
      if (ITensor* t = layer->getInput(j)) consumers[t].push_back(i);
    }
    if (isBoundary(layer->getType())) {
      if (firstBoundary < 0) firstBoundary = i;
      lastBoundary = i;
      auto* boundary = static_cast<nvinfer1::ILoopBoundaryLayer*>(layer);
      const void* loop = boundary->getLoop();
      auto it = loopRange.find(loop);
      if (it == loopRange.end()) {
        loopRange[loop] = {i, i};
      } else {
        it->second.second = i;
      }
    }
  }
  if (firstBoundary < 0) return body;

  auto addOutputs = [&](ILayer* layer) {
    for (int32_t j = 0; j < layer->getNbOutputs(); ++j) {
      ITensor* t = layer->getOutput(j);
      if (t && t->getName()) body.insert(t->getName());
    }
  };

  // 1. forward from Recurrence / Iterator outputs, stopping at LoopOutput layers
  std::deque<int32_t> queue;
  std::vector<bool> seen(static_cast<size_t>(n), false);
  for (int32_t i = 0; i < n; ++i) {
    ILayer* layer = network.getLayer(i);
    if (layer && (layer->getType() == LayerType::kRECURRENCE || layer->getType() == LayerType::kITERATOR)) {
      queue.push_back(i);
      seen[static_cast<size_t>(i)] = true;
    }
  }
  while (!queue.empty()) {
    const int32_t i = queue.front();
    queue.pop_front();
    ILayer* layer = network.getLayer(i);
    if (!layer || layer->getType() == LayerType::kLOOP_OUTPUT) continue;
    addOutputs(layer);
    for (int32_t j = 0; j < layer->getNbOutputs(); ++j) {
      auto it = consumers.find(layer->getOutput(j));
      if (it == consumers.end()) continue;
      for (int32_t c : it->second) {
        if (!seen[static_cast<size_t>(c)]) {
          seen[static_cast<size_t>(c)] = true;
          queue.push_back(c);
        }
      }
    }
  }

  // 2. layers placed between a loop's first and last boundary layer (body constants and the like)
  for (const auto& entry : loopRange) {
    for (int32_t i = entry.second.first; i <= entry.second.second; ++i) {
      ILayer* layer = network.getLayer(i);
      if (layer && layer->getType() != LayerType::kLOOP_OUTPUT) addOutputs(layer);
    }
  }

  if (broad) {
    for (int32_t i = firstBoundary; i <= lastBoundary; ++i) {
      ILayer* layer = network.getLayer(i);
      if (!layer) continue;
      if (layer->getType() != LayerType::kLOOP_OUTPUT) addOutputs(layer);
      if (isBoundary(layer->getType())) {
        for (int32_t j = 0; j < layer->getNbInputs(); ++j) {
          ITensor* t = layer->getInput(j);
          if (t && t->getName() && !t->isNetworkInput()) body.insert(t->getName());
        }
      }
    }
  }
  return body;
}

CapturePlan planCapture(INetworkDefinition& network, const std::string& spec, bool debugMode) {
  CapturePlan plan;
  std::set<std::string> inputs, outputs, layerOutputs;
  std::map<std::string, ITensor*> byName;
  for (int32_t i = 0; i < network.getNbInputs(); ++i) {
    ITensor* t = network.getInput(i);
    if (t && t->getName()) {
      inputs.insert(t->getName());
      byName[t->getName()] = t;
    }
  }
  std::vector<std::string> networkOrder;
  std::set<std::string> weights, unnamed;
  for (int32_t i = 0; i < network.getNbLayers(); ++i) {
    ILayer* layer = network.getLayer(i);
    if (!layer) continue;
    for (int32_t j = 0; j < layer->getNbOutputs(); ++j) {
      ITensor* t = layer->getOutput(j);
      if (!t || !t->getName()) continue;
      std::string name = t->getName();
      if (byName.count(name)) continue;
      byName[name] = t;
      layerOutputs.insert(name);
      networkOrder.push_back(name);
      if (layer->getType() == LayerType::kCONSTANT) weights.insert(name);
      if (name.rfind("(Unnamed Layer* ", 0) == 0) unnamed.insert(name);
    }
  }
  for (int32_t i = 0; i < network.getNbOutputs(); ++i) {
    ITensor* t = network.getOutput(i);
    if (t && t->getName()) outputs.insert(t->getName());
  }

  if (spec == "all" || spec.empty()) {
    // Every computed tensor that has an ONNX name: weights (Constant layers) and the tensors TensorRT adds itself
    // (unnamed reshapes of weights, loop counters, ...) have no onnxruntime counterpart and marking them only blocks
    // fusions. A --capture list can still name them.
    for (const auto& name : networkOrder) {
      if (outputs.count(name)) {
        plan.requested.push_back(name);
      } else if (weights.count(name)) {
        // Listed, not just counted: onnxruntime captures the ONNX Constant nodes' outputs, and the comparison should
        // say why TensorRT has none of them instead of calling them unpaired.
        ++plan.weightsLeftOut;
        plan.skipped.push_back({name, "a weight (Constant): --capture all leaves weights out; name it in --capture to compare it"});
      } else if (unnamed.count(name)) {
        ++plan.unnamedLeftOut;
      } else {
        plan.requested.push_back(name);
      }
    }
  } else if (spec == "outputs") {
    for (const auto& name : networkOrder)
      if (outputs.count(name)) plan.requested.push_back(name);
  } else {
    std::vector<std::string> asked = splitList(spec), unknown;
    std::set<std::string> askedSet(asked.begin(), asked.end());
    for (const auto& name : asked)
      if (!byName.count(name)) unknown.push_back(name);
    if (!unknown.empty()) {
      std::string list;
      for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
      throw HelperError(ErrorClass::badInput, "--capture names tensors the TensorRT network does not have: " + list);
    }
    for (const auto& name : inputs)
      if (askedSet.count(name)) plan.skipped.push_back({name, "network input (its value is the input itself)"});
    for (const auto& name : networkOrder)
      if (askedSet.count(name)) plan.requested.push_back(name);
  }

  const bool needLoops = [&] {
    for (int32_t i = 0; i < network.getNbLayers(); ++i) {
      ILayer* l = network.getLayer(i);
      if (l && isBoundary(l->getType())) return true;
    }
    return false;
  }();
  const std::set<std::string> inLoop = needLoops ? loopBodyTensors(network, false) : std::set<std::string>{};
  if (needLoops) logInfo("capture: " + std::to_string(inLoop.size()) + " tensors found inside Loop bodies");

  for (const auto& name : plan.requested) {
    ITensor* t = byName[name];
    if (outputs.count(name)) {
      plan.marked.push_back(name);  // a network output: captured without marking
      continue;
    }
    const nvinfer1::DataType type = t->getType();
    if (!isFloat(type)) {
      plan.skipped.push_back({name, dataTypeName(type) + " tensor: only float tensors are captured (integer, bool and "
                                                          "shape tensors marked as outputs can break the build)"});
      continue;
    }
    if (inLoop.count(name)) {
      plan.skipped.push_back(
          {name, debugMode ? "inside a Loop body: not captured (a debug tensor there would be delivered once per "
                             "iteration)"
                           : "inside a Loop body: TensorRT cannot mark it as a network output"});
      continue;
    }
    if (t->isShapeTensor()) {
      plan.skipped.push_back({name, "shape tensor (computed on the host at build time)"});
      continue;
    }
    plan.marked.push_back(name);
  }
  return plan;
}

}  // namespace oi::trt
