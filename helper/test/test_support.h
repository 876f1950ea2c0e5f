// Shared helpers for the helper's unit tests: fixture paths, temporary folders, whole-file reads.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "errors.h"
#include "tensor.h"

namespace oi::test {

inline std::string fixture(const std::string& name) { return std::string(HELPER_TEST_FIXTURES) + "/" + name; }

/** A fresh folder under $TMPDIR, removed with its contents at the end of the test. */
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/oi-helper-test-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline bool fileExists(const std::string& path) { return std::ifstream(path).good(); }

template <typename T>
std::vector<T> values(const HostTensor& t) {
  std::vector<T> v(t.data.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), t.data.data(), v.size() * sizeof(T));
  return v;
}

/** EXPECT_TRUE(contains(text, part)) prints both on failure. */
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

/** Runs f, expects HelperError of class c, returns its message. */
inline std::string errorOf(ErrorClass c, const std::function<void()>& f) {
  try {
    f();
  } catch (const HelperError& e) {
    EXPECT_EQ(errorClassName(e.cls), std::string(errorClassName(c))) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected a HelperError(" << errorClassName(c) << ")";
  return "";
}

}  // namespace oi::test
