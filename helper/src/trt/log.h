// Human-readable progress on stderr (PROTOCOL.md: stdout carries only JSON lines). Every step logs here at info level.
#pragma once
#include <string>

namespace oi {

/** "[onnx-inspector-trt HH:MM:SS.mmm] message" on stderr, one line, flushed; thread-safe. */
void logInfo(const std::string& message);

}  // namespace oi
