// Which engine layer absorbed each ONNX tensor TensorRT did not produce (PROTOCOL.md, layer-information file).
#pragma once
#include <set>
#include <string>
#include <vector>
#include "events.h"
#include "json.h"

namespace oi {

/** A layer of the parsed network, in network order: its name (the ONNX parser names layers after ONNX nodes). */
struct NetworkLayer {
  std::string name;
  std::vector<std::string> outputs;
};

/**
 * engineInfo: IEngineInspector's JSON (kDETAILED: {"Layers":[{"Name":...,"Outputs":[{"Name":...}],...}]}, or
 * kONELINE: {"Layers":["name", ...]}). For every requested tensor not in `produced`: the engine layer whose name
 * contains the producing network layer's name as a whole ` + `-separated part, or a `{ForeignNode[first...last]}`
 * whose network range contains it; layer = nullopt when none.
 */
std::vector<FusedTensor> explainFusion(const std::vector<NetworkLayer>& network, const json::Value& engineInfo,
                                       const std::set<std::string>& produced, const std::vector<std::string>& requested);

/** Writes the layer-information file (PROTOCOL.md). */
void writeLayerInfo(const std::string& path, const std::string& tensorrtVersion, const std::string& runnerName,
                    const std::string& captureMode, const std::vector<FusedTensor>& fused,
                    const std::vector<SkippedTensor>& skipped, const json::Value& engineInfo);

}  // namespace oi
