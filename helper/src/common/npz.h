// The entries of a zip archive (.npz): stored entries, and deflated ones when zlib is available.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace oi {

struct NpzEntry {
  std::string name;
  std::vector<uint8_t> data;
};

/** Throws HelperError(bad-input) naming `path` and what is wrong. */
std::vector<NpzEntry> readZipEntries(const std::string& path, const std::vector<uint8_t>& zip);

}  // namespace oi
