#include "cancel.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include "errors.h"

namespace oi {

namespace {

constexpr int kSlots = 8;
constexpr size_t kMaxPath = 4096;

// Plain arrays and lock-free atomics: the handler may only touch async-signal-safe state.
char gPaths[kSlots][kMaxPath];
std::atomic<int> gSlotUsed[kSlots];
std::atomic<bool> gCancelled{false};
std::atomic<bool> gExitOnSignal{true};

void unlinkRegistered() {
  for (int i = 0; i < kSlots; ++i)
    if (gSlotUsed[i].load(std::memory_order_acquire) == 1) unlink(gPaths[i]);
}

extern "C" void onCancelSignal(int) {
  bool already = gCancelled.exchange(true);
  unlinkRegistered();
  if (already || gExitOnSignal.load()) _exit(143);
}

}  // namespace

void installCancelHandler() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = onCancelSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

bool cancelRequested() { return gCancelled.load(); }

void clearCancelRequest() { gCancelled.store(false); }

void setExitOnSignal(bool on) { gExitOnSignal.store(on); }

void throwIfCancelled(const char* stage) {
  if (gCancelled.load())
    throw HelperError(ErrorClass::cancelled, std::string("cancelled by a signal during ") + (stage ? stage : "the run"));
}

void registerPartialFile(const std::string& path) {
  if (path.size() >= kMaxPath) throw HelperError(ErrorClass::write, "path too long to register for cleanup: " + path);
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    // 2 = being filled: the handler ignores the slot until the path is complete.
    if (gSlotUsed[i].compare_exchange_strong(expected, 2)) {
      std::memcpy(gPaths[i], path.c_str(), path.size() + 1);
      gSlotUsed[i].store(1, std::memory_order_release);
      return;
    }
  }
  throw HelperError(ErrorClass::internal, "more than 8 partial files registered at once (" + path + ")");
}

void unregisterPartialFile(const std::string& path) {
  for (int i = 0; i < kSlots; ++i) {
    if (gSlotUsed[i].load(std::memory_order_acquire) == 1 && path == gPaths[i]) {
      gSlotUsed[i].store(0, std::memory_order_release);
      return;
    }
  }
}

}  // namespace oi
