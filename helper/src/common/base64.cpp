#include "base64.h"

#include <stdexcept>

namespace oi::base64 {

static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void encodeAppend(std::string& out, const uint8_t* d, size_t n) {
  size_t start = out.size();
  out.resize(start + (n + 2) / 3 * 4);
  char* o = &out[start];
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t(d[i]) << 16) | (uint32_t(d[i + 1]) << 8) | d[i + 2];
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t(d[i]) << 16;
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t(d[i]) << 16) | (uint32_t(d[i + 1]) << 8);
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = '=';
  }
}

std::vector<uint8_t> decode(const std::string& text) {
  static int8_t table[256];
  static bool ready = [] {
    for (auto& t : table) t = -1;
    for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = int8_t(i);
    return true;
  }();
  (void)ready;
  size_t n = text.size();
  if (n % 4 != 0) throw std::runtime_error("base64 length " + std::to_string(n) + " is not a multiple of 4");
  size_t pad = 0;
  if (n && text[n - 1] == '=') ++pad;
  if (n > 1 && text[n - 2] == '=') ++pad;
  std::vector<uint8_t> out(n / 4 * 3 - pad);
  size_t o = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = 0; i < n; i += 4) {
    uint32_t v = 0;
    int chars = (i + 4 == n) ? int(4 - pad) : 4;
    for (int k = 0; k < 4; ++k) {
      int8_t c = k < chars ? table[s[i + k]] : 0;
      if (c < 0) throw std::runtime_error("invalid base64 character at offset " + std::to_string(i + k));
      v = (v << 6) | uint32_t(c);
    }
    out[o++] = uint8_t(v >> 16);
    if (chars > 2) out[o++] = uint8_t(v >> 8);
    if (chars > 3) out[o++] = uint8_t(v);
  }
  return out;
}

}  // namespace oi::base64
