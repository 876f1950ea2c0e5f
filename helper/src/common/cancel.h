// SIGTERM/SIGINT: set a flag the run checks between steps, and remove registered partial files at once
// (async-signal-safe unlink), then exit 143 from the handler if the main thread is stuck in TensorRT.
#pragma once
#include <string>

namespace oi {

void installCancelHandler();
bool cancelRequested();
/** Throws HelperError(cancelled) when a cancel was requested. */
void throwIfCancelled(const char* stage);
/** At most 8 paths; the handler unlinks them. Unregister after rename/removal. */
void registerPartialFile(const std::string& path);
void unregisterPartialFile(const std::string& path);
/**
 * On (the default): the handler exits 143 right after unlinking, since a thread inside TensorRT cannot be
 * interrupted. Off: the first signal only sets the flag (the run stops at its next throwIfCancelled); a second exits.
 */
void setExitOnSignal(bool on);
/** Clears a cancel request (tests; serve mode never reuses a cancelled process). */
void clearCancelRequest();

}  // namespace oi
