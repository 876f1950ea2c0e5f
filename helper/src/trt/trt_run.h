// One TensorRT run (PROTOCOL.md `run` and serve's run request): load, parse, build or take the cached engine, run
// with every requested tensor captured, write the results and the layer-information file, emit the result event.
#pragma once
#include "common/events.h"
#include "common/options.h"

namespace oi {

/** Emits progress/log events and, on success, the result event; throws HelperError for every failure. */
void runTensorrt(const RunOptions& options, const LocateOptions& locate, const Emitter& emit);

/** The version event (PROTOCOL.md `--version --json`); returns the exit code (0, 3 no TensorRT, 4 no GPU). */
int reportVersion(const LocateOptions& locate, const Emitter& emit, bool asJson);

}  // namespace oi
