#include "onnx_scan.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

#include "errors.h"

namespace oi {

namespace {

// Protobuf wire types.
enum Wire { kVarint = 0, kFixed64 = 1, kLen = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

struct NotOnnx {
  std::string why;
};

/** One message's bytes; fields are read in order and unknown ones skipped by wire type. */
class Msg {
 public:
  Msg(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}
  bool next(uint32_t& field, int& wire) {
    if (p_ >= end_) return false;
    uint64_t key = varint();
    field = uint32_t(key >> 3);
    wire = int(key & 7);
    if (field == 0) throw NotOnnx{"field number 0"};
    return true;
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) throw NotOnnx{"truncated varint"};
      uint8_t b = *p_++;
      v |= uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    throw NotOnnx{"varint longer than 10 bytes"};
  }
  Msg sub() {
    uint64_t n = varint();
    if (n > uint64_t(end_ - p_)) throw NotOnnx{"length past the end"};
    Msg m(p_, p_ + n);
    p_ += n;
    return m;
  }
  std::string str() {
    Msg m = sub();
    return std::string(reinterpret_cast<const char*>(m.p_), size_t(m.end_ - m.p_));
  }
  void skip(int wire, uint32_t field) {
    switch (wire) {
      case kVarint: varint(); break;
      case kFixed64: advance(8); break;
      case kFixed32: advance(4); break;
      case kLen: sub(); break;
      case kStartGroup: {
        // Groups end with an end-group tag of the same field.
        uint32_t f;
        int w;
        for (;;) {
          if (!next(f, w)) throw NotOnnx{"unterminated group"};
          if (w == kEndGroup) {
            if (f != field) throw NotOnnx{"mismatched end group"};
            return;
          }
          skip(w, f);
        }
      }
      default: throw NotOnnx{"invalid wire type " + std::to_string(wire)};
    }
  }

 private:
  void advance(size_t n) {
    if (n > size_t(end_ - p_)) throw NotOnnx{"fixed field past the end"};
    p_ += n;
  }
  const uint8_t* p_;
  const uint8_t* end_;
};

void expectWire(int wire, int want, const char* what) {
  if (wire != want) throw NotOnnx{std::string(what) + " has the wrong wire type"};
}

void scanTensor(Msg m, OnnxSummary& s) {
  int64_t location = 0;
  std::string externalLocation;
  uint32_t f;
  int w;
  while (m.next(f, w)) {
    if (f == 14 && w == kVarint) {
      location = int64_t(m.varint());
    } else if (f == 13 && w == kLen) {
      Msg entry = m.sub();
      std::string key, value;
      uint32_t ef;
      int ew;
      while (entry.next(ef, ew)) {
        if (ef == 1 && ew == kLen) key = entry.str();
        else if (ef == 2 && ew == kLen) value = entry.str();
        else entry.skip(ew, ef);
      }
      if (key == "location") externalLocation = value;
    } else {
      m.skip(w, f);
    }
  }
  if (location == 1 && !externalLocation.empty() &&
      std::find(s.externalDataLocations.begin(), s.externalDataLocations.end(), externalLocation) ==
          s.externalDataLocations.end())
    s.externalDataLocations.push_back(externalLocation);
}

void scanNode(Msg m, OnnxSummary& s) {
  std::string name, op;
  uint32_t f;
  int w;
  while (m.next(f, w)) {
    if (f == 3 && w == kLen) name = m.str();
    else if (f == 4 && w == kLen) op = m.str();
    else m.skip(w, f);
  }
  s.nodeNames.push_back(name);
  s.nodeOps.push_back(op);
}

void scanGraph(Msg m, OnnxSummary& s) {
  uint32_t f;
  int w;
  while (m.next(f, w)) {
    if (f == 1) { expectWire(w, kLen, "GraphProto.node"); scanNode(m.sub(), s); }
    else if (f == 5) { expectWire(w, kLen, "GraphProto.initializer"); scanTensor(m.sub(), s); }
    else m.skip(w, f);
  }
}

void scanOpset(Msg m, OnnxSummary& s) {
  std::string domain;
  int64_t version = 0;
  uint32_t f;
  int w;
  while (m.next(f, w)) {
    if (f == 1 && w == kLen) domain = m.str();
    else if (f == 2 && w == kVarint) version = int64_t(m.varint());
    else m.skip(w, f);
  }
  if (domain == "ai.onnx") domain = "";
  s.opsets[domain] = std::max(s.opsets[domain], version);
}

}  // namespace

OnnxSummary scanOnnx(const std::vector<uint8_t>& bytes) {
  OnnxSummary s;
  bool haveGraph = false;
  try {
    Msg m(bytes.data(), bytes.data() + bytes.size());
    uint32_t f;
    int w;
    while (m.next(f, w)) {
      if (f == 1) { expectWire(w, kVarint, "ModelProto.ir_version"); s.irVersion = int64_t(m.varint()); }
      else if (f == 8) { expectWire(w, kLen, "ModelProto.opset_import"); scanOpset(m.sub(), s); }
      else if (f == 7) { expectWire(w, kLen, "ModelProto.graph"); scanGraph(m.sub(), s); haveGraph = true; }
      else m.skip(w, f);
    }
  } catch (const NotOnnx& e) {
    throw HelperError(ErrorClass::badInput, "not an ONNX model (protobuf: " + e.why + ")");
  }
  if (!haveGraph || s.irVersion <= 0) throw HelperError(ErrorClass::badInput, "not an ONNX model (no ir_version or graph)");
  return s;
}

OnnxSummary scanOnnxFile(const std::string& path) {
  std::vector<uint8_t> bytes = readFileBytes(path);
  try {
    return scanOnnx(bytes);
  } catch (const HelperError& e) {
    throw HelperError(e.cls, path + ": " + e.what());
  }
}

std::vector<uint8_t> readFileBytes(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw HelperError(ErrorClass::badInput, "cannot read " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> out;
  struct stat st;
  if (fstat(fileno(f), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      std::fclose(f);
      throw HelperError(ErrorClass::badInput, "cannot read " + path + ": " + std::strerror(EISDIR));
    }
    if (S_ISREG(st.st_mode)) out.reserve(size_t(st.st_size));
  }
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  bool failed = std::ferror(f);
  int err = errno;
  std::fclose(f);
  if (failed) throw HelperError(ErrorClass::badInput, "cannot read " + path + ": " + std::strerror(err));
  return out;
}

// onnx-tensorrt's docs/operators.md: 8.6 "up to Opset 17"; 10.0/10.1 "opset 9 to opset 20". Later 10.x releases
// added some opset-21 operators without raising the documented range, so 10.x stays at 20 (conservative).
// 11.x: 22 as agreed in PROTOCOL.md's design (not yet verifiable from the stored sources).
int64_t maxSupportedOpset(int tensorrtMajor, int tensorrtMinor) {
  (void)tensorrtMinor;
  if (tensorrtMajor <= 8) return 17;
  if (tensorrtMajor == 10) return 20;
  return 22;
}

}  // namespace oi
