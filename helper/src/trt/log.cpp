#include "trt/log.h"

#include <sys/time.h>

#include <cstdio>
#include <ctime>
#include <mutex>

namespace oi {

namespace {
std::mutex gLogMutex;
}

void logInfo(const std::string& message) {
  struct timeval tv {};
  gettimeofday(&tv, nullptr);
  struct tm tmv {};
  time_t secs = tv.tv_sec;
  gmtime_r(&secs, &tmv);
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "%02d:%02d:%02d.%03d", tmv.tm_hour, tmv.tm_min, tmv.tm_sec,
                static_cast<int>(tv.tv_usec / 1000));
  std::lock_guard<std::mutex> lock(gLogMutex);
  std::fprintf(stderr, "[onnx-inspector-trt %s] %s\n", stamp, message.c_str());
  std::fflush(stderr);
}

}  // namespace oi
