// Base64 (RFC 4648, with padding) for the npy bytes inside the JSON files.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace oi::base64 {

/** Appends the base64 of n bytes; n must be a multiple of 3 except for the last piece of a stream. */
void encodeAppend(std::string& out, const uint8_t* data, size_t n);
/** Decodes; throws std::runtime_error naming the offset of a bad character. Whitespace is not allowed. */
std::vector<uint8_t> decode(const std::string& text);

}  // namespace oi::base64
