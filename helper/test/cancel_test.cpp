#include "cancel.h"

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

#include "test_support.h"

using namespace oi;
using namespace oi::test;

namespace {
void touch(const std::string& p) { writeText(p, "partial"); }
void restoreSignals() {
  clearCancelRequest();
  setExitOnSignal(true);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGINT, SIG_DFL);
}
}  // namespace

TEST(Cancel, FlagAndUnlinkWithoutExiting) {
  TempDir tmp;
  std::string a = tmp.file("a.partial"), b = tmp.file("b.partial"), c = tmp.file("kept.partial");
  touch(a); touch(b); touch(c);
  registerPartialFile(a);
  registerPartialFile(b);
  registerPartialFile(c);
  unregisterPartialFile(c);  // finished files are no longer removed
  setExitOnSignal(false);
  installCancelHandler();
  EXPECT_FALSE(cancelRequested());
  EXPECT_NO_THROW(throwIfCancelled("build"));
  std::raise(SIGINT);
  EXPECT_TRUE(cancelRequested());
  EXPECT_FALSE(fileExists(a));
  EXPECT_FALSE(fileExists(b));
  EXPECT_TRUE(fileExists(c));
  EXPECT_EQ(errorOf(ErrorClass::cancelled, [] { throwIfCancelled("build"); }), "cancelled by a signal during build");
  unregisterPartialFile(a);
  unregisterPartialFile(b);
  restoreSignals();
}

TEST(Cancel, AtMostEightPartialFiles) {
  std::vector<std::string> paths;
  for (int i = 0; i < 8; ++i) {
    paths.push_back("/tmp/oi-never-created-" + std::to_string(i));
    registerPartialFile(paths.back());
  }
  EXPECT_TRUE(contains(errorOf(ErrorClass::internal, [] { registerPartialFile("/tmp/one-too-many"); }),
                       "more than 8 partial files"));
  for (const auto& p : paths) unregisterPartialFile(p);
  registerPartialFile("/tmp/oi-slot-free-again");  // slots are reusable
  unregisterPartialFile("/tmp/oi-slot-free-again");
}

TEST(CancelDeathTest, ExitsWith143AfterUnlinkingByDefault) {
  TempDir tmp;
  std::string p = tmp.file("o.json.partial");
  touch(p);
  EXPECT_EXIT(
      {
        registerPartialFile(p);
        installCancelHandler();
        std::raise(SIGTERM);
        std::fprintf(stderr, "still running");
        std::_Exit(0);
      },
      testing::ExitedWithCode(143), "");
  EXPECT_FALSE(fileExists(p));
}

TEST(CancelDeathTest, SecondSignalExitsWhenExitOnSignalIsOff) {
  EXPECT_EXIT(
      {
        setExitOnSignal(false);
        installCancelHandler();
        std::raise(SIGTERM);
        if (!cancelRequested()) std::_Exit(3);
        std::raise(SIGTERM);
        std::_Exit(0);
      },
      testing::ExitedWithCode(143), "");
}
