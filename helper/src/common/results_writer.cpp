#include "results_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <unistd.h>

#include "base64.h"
#include "cancel.h"
#include "errors.h"
#include "inputs.h"
#include "json.h"

namespace oi {

namespace {

// Multiple of 3: each slice encodes without padding, so slices concatenate to the whole base64.
constexpr size_t kSlice = 3 << 20;

std::string pad(int n) { return std::string(size_t(n), ' '); }

/** Feeds bytes through base64 in slices, carrying 0-2 bytes between pieces so only the end is padded. */
class Base64Stream {
 public:
  explicit Base64Stream(ResultsWriter* w, void (*put)(ResultsWriter*, const std::string&)) : w_(w), put_(put) {}
  void feed(const uint8_t* p, size_t n) {
    while (n) {
      if (carryN_ || n < 3) {
        while (n && carryN_ < 3) { carry_[carryN_++] = *p++; --n; }
        if (carryN_ == 3) { emit(carry_, 3); carryN_ = 0; }
        continue;
      }
      size_t take = std::min(kSlice, n / 3 * 3);
      emit(p, take);
      p += take;
      n -= take;
    }
  }
  void end() {
    if (carryN_) emit(carry_, carryN_);
    carryN_ = 0;
  }

 private:
  void emit(const uint8_t* p, size_t n) {
    buf_.clear();
    base64::encodeAppend(buf_, p, n);
    put_(w_, buf_);
  }
  ResultsWriter* w_;
  void (*put_)(ResultsWriter*, const std::string&);
  uint8_t carry_[3];
  size_t carryN_ = 0;
  std::string buf_;
};

}  // namespace

// Writes through the FILE*, turning a short write into HelperError(write).
static void putText(FILE* f, const std::string& path, const std::string& s) {
  if (std::fwrite(s.data(), 1, s.size(), f) != s.size())
    throw HelperError(ErrorClass::write, "cannot write the results file " + path + ": " + std::strerror(errno));
}

ResultsWriter::ResultsWriter(std::string path, std::string runnerName)
    : path_(std::move(path)), partial_(path_ + ".partial"), runner_(std::move(runnerName)) {
  registerPartialFile(partial_);
  f_ = std::fopen(partial_.c_str(), "wb");
  if (!f_) {
    int err = errno;
    unregisterPartialFile(partial_);
    throw HelperError(ErrorClass::write, "cannot create the results file " + partial_ + ": " + std::strerror(err));
  }
  try {
    putText(f_, partial_, "{\n" + pad(4) + "\"lst\": [\n" + pad(8) + "[\n" + pad(12) + json::quote(runner_) + ",\n" +
                              pad(12) + "[\n" + pad(16) + "{\n" + pad(20) + "\"outputs\": {");
  } catch (...) {
    abort();
    throw;
  }
}

ResultsWriter::~ResultsWriter() {
  if (!done_) abort();
}

void ResultsWriter::add(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* data,
                        size_t bytes) {
  if (!f_ || done_) throw HelperError(ErrorClass::internal, "results writer for " + path_ + " is closed");
  size_t count = 1;
  for (int64_t d : shape) count *= size_t(d);
  if (count * dtypeSize(dtype) != bytes)
    throw HelperError(ErrorClass::internal, "tensor '" + name + "': " + std::to_string(bytes) + " bytes for " +
                                                std::to_string(count) + " " + dtypeName(dtype) + " elements");
  const std::string in = pad(28);
  putText(f_, partial_, std::string(first_ ? "" : ",") + "\n" + pad(24) + json::quote(name) + ": {\n" + in +
                            "\"values\": {\n" + in + pad(4) + "\"array\": \"");
  first_ = false;
  auto put = [](ResultsWriter* w, const std::string& s) { putText(w->f_, w->partial_, s); };
  Base64Stream b64(this, put);
  std::vector<uint8_t> header = encodeNpyHeader(dtype, shape);
  b64.feed(header.data(), header.size());
  const auto* p = static_cast<const uint8_t*>(data);
  if (dtype == DType::bf16) {
    // bf16 is the top half of a float32: widen in slices.
    std::vector<uint8_t> wide;
    constexpr size_t kChunk = 1 << 20;
    for (size_t i = 0; i < count; i += kChunk) {
      size_t n = std::min(kChunk, count - i);
      wide.assign(n * 4, 0);
      for (size_t k = 0; k < n; ++k) {
        wide[k * 4 + 2] = p[(i + k) * 2];
        wide[k * 4 + 3] = p[(i + k) * 2 + 1];
      }
      b64.feed(wide.data(), wide.size());
    }
  } else {
    b64.feed(p, bytes);
  }
  b64.end();
  putText(f_, partial_, "\",\n" + in + pad(4) + "\"polygraphy_class\": \"ndarray\"\n" + in + "},\n" + in +
                            "\"polygraphy_class\": \"LazyArray\"\n" + pad(24) + "}");
}

void ResultsWriter::finish(double runtimeSeconds) {
  if (!f_ || done_) throw HelperError(ErrorClass::internal, "results writer for " + path_ + " is closed");
  json::Value runtime = json::Value::number(runtimeSeconds);
  putText(f_, partial_, std::string(first_ ? "" : "\n" + pad(20)) + "},\n" + pad(20) + "\"runtime\": " +
                            json::write(runtime) + ",\n" + pad(20) + "\"runner_name\": " + json::quote(runner_) +
                            ",\n" + pad(20) + "\"polygraphy_class\": \"IterationResult\"\n" + pad(16) + "}\n" +
                            pad(12) + "]\n" + pad(8) + "]\n" + pad(4) + "],\n" + pad(4) +
                            "\"polygraphy_class\": \"RunResults\"\n}");
  FILE* f = f_;
  f_ = nullptr;
  if (std::fclose(f) != 0) {
    int err = errno;
    abort();
    throw HelperError(ErrorClass::write, "cannot write the results file " + partial_ + ": " + std::strerror(err));
  }
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    abort();
    throw HelperError(ErrorClass::write, "cannot rename " + partial_ + " to " + path_ + ": " + std::strerror(err));
  }
  unregisterPartialFile(partial_);
  done_ = true;
}

void ResultsWriter::abort() {
  if (done_) return;
  if (f_) {
    std::fclose(f_);
    f_ = nullptr;
  }
  ::unlink(partial_.c_str());
  unregisterPartialFile(partial_);
  done_ = true;
}

}  // namespace oi
