// Which network tensors a run captures, and which it must skip (and why) before marking them.
#pragma once
#include <NvInfer.h>

#include <set>
#include <string>
#include <vector>

#include "common/events.h"
#include "common/fusion.h"

namespace oi::trt {

/** The network's layers in network order (names and output tensor names), for explainFusion. */
std::vector<NetworkLayer> networkLayers(nvinfer1::INetworkDefinition& network);

/**
 * Tensors TensorRT treats as inside a Loop body: produced by a layer reachable from a Recurrence/Iterator output
 * before a LoopOutput, or by a layer placed between a loop's first and last boundary layer (the ONNX parser adds a
 * Loop's trip limit, recurrences, body nodes and loop outputs in that order, so body constants fall in the range).
 * `broad`: every tensor between the first and the last boundary layer of all loops, and the tensors feeding the
 * boundary layers (the fallback after a build failure that mentions loops).
 */
std::set<std::string> loopBodyTensors(nvinfer1::INetworkDefinition& network, bool broad);

struct CapturePlan {
  std::vector<std::string> requested;  // what --capture asked for, in network order
  std::vector<std::string> marked;     // to be marked (as outputs or debug tensors), in network order
  std::vector<SkippedTensor> skipped;
  int64_t weightsLeftOut = 0;   // "all": outputs of Constant layers (weights, not computed)
  int64_t unnamedLeftOut = 0;   // "all": tensors TensorRT made and named "(Unnamed Layer* N) ..." (no ONNX tensor)
};

/**
 * spec: "all" | "outputs" | "a,b,c". debugMode: tensors are marked as debug tensors (network outputs need no mark).
 * Throws HelperError(bad-input) listing unknown names.
 */
CapturePlan planCapture(nvinfer1::INetworkDefinition& network, const std::string& spec, bool debugMode);

}  // namespace oi::trt
