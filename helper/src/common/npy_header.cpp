// The npy format's header (numpy.lib.format): magic, version, a Python dict literal padded to 64 bytes.
#include <cstring>

#include "errors.h"
#include "inputs.h"

namespace oi {

namespace {

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  throw HelperError(ErrorClass::badInput, name + ": " + what);
}

/** The text after `'key':` in the header dict, or npos. */
size_t valueAfterKey(const std::string& h, const std::string& key) {
  for (const char* q : {"'", "\""}) {
    size_t at = h.find(std::string(q) + key + q);
    if (at == std::string::npos) continue;
    size_t colon = h.find(':', at + key.size() + 2);
    if (colon == std::string::npos) return colon;
    size_t v = colon + 1;
    while (v < h.size() && h[v] == ' ') ++v;
    return v;
  }
  return std::string::npos;
}

std::vector<int64_t> parseShape(const std::string& name, const std::string& h, size_t at) {
  if (at >= h.size() || h[at] != '(') bad(name, "npy header has no shape tuple");
  size_t close = h.find(')', at);
  if (close == std::string::npos) bad(name, "npy header's shape tuple is not closed");
  std::vector<int64_t> shape;
  size_t i = at + 1;
  while (i < close) {
    while (i < close && (h[i] == ' ' || h[i] == ',')) ++i;
    if (i >= close) break;
    size_t j = i;
    while (j < close && h[j] >= '0' && h[j] <= '9') ++j;
    if (j == i) bad(name, "npy header has a bad shape '" + h.substr(at, close - at + 1) + "'");
    // 'L' suffixes come from Python 2 era files.
    shape.push_back(std::stoll(h.substr(i, j - i)));
    i = j;
    if (i < close && h[i] == 'L') ++i;
  }
  return shape;
}

}  // namespace

HostTensor decodeNpy(const std::string& name, const uint8_t* bytes, size_t size) {
  static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(bytes, magic, 6) != 0) bad(name, "not an npy array (no \\x93NUMPY magic)");
  uint8_t major = bytes[6];
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = bytes[8] | (size_t(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) bad(name, "npy header is truncated");
    headerLen = bytes[8] | (size_t(bytes[9]) << 8) | (size_t(bytes[10]) << 16) | (size_t(bytes[11]) << 24);
    headerStart = 12;
  } else {
    bad(name, "npy format version " + std::to_string(major) + " is not supported (1.0, 2.0, 3.0 are)");
  }
  if (headerStart + headerLen > size) bad(name, "npy header is truncated");
  std::string h(reinterpret_cast<const char*>(bytes + headerStart), headerLen);

  size_t d = valueAfterKey(h, "descr");
  if (d == std::string::npos || d >= h.size()) bad(name, "npy header has no 'descr'");
  if (h[d] == '[') bad(name, "npy arrays with structured dtypes are not supported");
  char q = h[d];
  size_t endq = h.find(q, d + 1);
  if ((q != '\'' && q != '"') || endq == std::string::npos) bad(name, "npy header has a bad 'descr'");
  HostTensor t;
  t.name = name;
  try {
    t.dtype = dtypeFromDescr(h.substr(d + 1, endq - d - 1));
  } catch (const HelperError& e) {
    bad(name, e.what());
  }

  size_t f = valueAfterKey(h, "fortran_order");
  if (f == std::string::npos) bad(name, "npy header has no 'fortran_order'");
  if (h.compare(f, 4, "True") == 0)
    bad(name, "npy array is in Fortran order; save it C-contiguous (numpy.ascontiguousarray) and retry");
  if (h.compare(f, 5, "False") != 0) bad(name, "npy header has a bad 'fortran_order'");

  size_t s = valueAfterKey(h, "shape");
  if (s == std::string::npos) bad(name, "npy header has no 'shape'");
  t.shape = parseShape(name, h, s);

  size_t have = size - headerStart - headerLen;
  // Checked product: a corrupt header must not wrap around to a small size.
  size_t want = dtypeSize(t.dtype);
  for (int64_t d : t.shape)
    if (__builtin_mul_overflow(want, size_t(d), &want))
      bad(name, "npy shape needs more bytes than the " + std::to_string(have) + " the file holds");
  if (have != want)
    bad(name, "npy data has " + std::to_string(have) + " bytes, its shape and dtype need " + std::to_string(want));
  const uint8_t* data = bytes + headerStart + headerLen;
  t.data.assign(data, data + want);
  return t;
}

std::vector<uint8_t> encodeNpyHeader(DType dtype, const std::vector<int64_t>& shape) {
  std::string dict = "{'descr': '" + npyDescr(dtype) + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) dict += ",";
    if (i + 1 < shape.size()) dict += " ";
  }
  dict += "), }";
  // Version 1.0 unless the header outgrows its 16-bit length; total length a multiple of 64, ending in '\n'.
  bool v2 = dict.size() + 1 + 10 > 65535;
  size_t prefix = v2 ? 12 : 10;
  size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(v2 ? 2 : 1), 0};
  size_t len = dict.size();
  out.push_back(uint8_t(len));
  out.push_back(uint8_t(len >> 8));
  if (v2) {
    out.push_back(uint8_t(len >> 16));
    out.push_back(uint8_t(len >> 24));
  }
  out.insert(out.end(), dict.begin(), dict.end());
  return out;
}

}  // namespace oi
