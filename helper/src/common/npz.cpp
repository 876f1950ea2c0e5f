#include "npz.h"

#include <cstring>

#include "errors.h"

#ifdef HELPER_HAVE_ZLIB
#include <zlib.h>
#endif

namespace oi {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw HelperError(ErrorClass::badInput, path + ": " + what);
}

struct Reader {
  const std::string& path;
  const std::vector<uint8_t>& b;
  void need(uint64_t at, uint64_t n) const {
    if (at > b.size() || n > b.size() - at) bad(path, "truncated zip archive");
  }
  uint16_t u16(uint64_t at) const { need(at, 2); return uint16_t(b[at] | (b[at + 1] << 8)); }
  uint32_t u32(uint64_t at) const {
    need(at, 4);
    return uint32_t(b[at]) | (uint32_t(b[at + 1]) << 8) | (uint32_t(b[at + 2]) << 16) | (uint32_t(b[at + 3]) << 24);
  }
  uint64_t u64(uint64_t at) const { return u32(at) | (uint64_t(u32(at + 4)) << 32); }
};

std::vector<uint8_t> inflateRaw(const std::string& path, const std::string& name, const uint8_t* src, size_t n,
                                uint64_t outSize) {
#ifdef HELPER_HAVE_ZLIB
  std::vector<uint8_t> out(outSize);
  z_stream z;
  std::memset(&z, 0, sizeof z);
  if (inflateInit2(&z, -15) != Z_OK) bad(path, "zlib could not start inflating '" + name + "'");
  z.next_in = const_cast<uint8_t*>(src);
  z.avail_in = static_cast<uInt>(n);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(outSize);
  int rc = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  if (rc != Z_STREAM_END || z.total_out != outSize) bad(path, "entry '" + name + "' is corrupt (deflate stream)");
  return out;
#else
  (void)src; (void)n; (void)outSize;
  bad(path, "entry '" + name + "' is compressed (numpy.savez_compressed) and this helper was built without zlib; "
            "save the inputs with numpy.savez instead");
#endif
}

}  // namespace

std::vector<NpzEntry> readZipEntries(const std::string& path, const std::vector<uint8_t>& zip) {
  Reader r{path, zip};
  if (zip.size() < 22) bad(path, "not a zip archive (.npz)");
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  uint64_t eocd = UINT64_MAX;
  for (uint64_t at = zip.size() - 22;; --at) {
    if (r.u32(at) == 0x06054b50) { eocd = at; break; }
    if (at == 0 || zip.size() - at > 22 + 65535) break;
  }
  if (eocd == UINT64_MAX) bad(path, "not a zip archive (.npz): no end of central directory");
  uint64_t count = r.u16(eocd + 10);
  uint64_t cdOffset = r.u32(eocd + 16);
  if ((cdOffset == 0xFFFFFFFF || count == 0xFFFF) && eocd >= 20 && r.u32(eocd - 20) == 0x07064b50) {
    uint64_t z64 = r.u64(eocd - 20 + 8);
    if (r.u32(z64) != 0x06064b50) bad(path, "bad zip64 end of central directory");
    count = r.u64(z64 + 32);
    cdOffset = r.u64(z64 + 48);
  }

  std::vector<NpzEntry> entries;
  uint64_t at = cdOffset;
  for (uint64_t i = 0; i < count; ++i) {
    if (r.u32(at) != 0x02014b50) bad(path, "bad zip central directory entry " + std::to_string(i));
    uint16_t flags = r.u16(at + 8), method = r.u16(at + 10);
    uint64_t csize = r.u32(at + 20), usize = r.u32(at + 24);
    uint16_t nameLen = r.u16(at + 28), extraLen = r.u16(at + 30), commentLen = r.u16(at + 32);
    uint64_t local = r.u32(at + 42);
    r.need(at + 46, nameLen);
    std::string name(reinterpret_cast<const char*>(zip.data() + at + 46), nameLen);
    // Zip64 extra field: the 64-bit values appear in this order for the fields that are 0xFFFFFFFF.
    uint64_t x = at + 46 + nameLen, xend = x + extraLen;
    while (x + 4 <= xend) {
      uint16_t id = r.u16(x), len = r.u16(x + 2);
      if (id == 0x0001) {
        uint64_t p = x + 4;
        if (usize == 0xFFFFFFFF) { usize = r.u64(p); p += 8; }
        if (csize == 0xFFFFFFFF) { csize = r.u64(p); p += 8; }
        if (local == 0xFFFFFFFF) { local = r.u64(p); }
      }
      x += 4 + len;
    }
    if (flags & 1) bad(path, "entry '" + name + "' is encrypted");
    if (r.u32(local) != 0x04034b50) bad(path, "bad zip local header for '" + name + "'");
    uint64_t data = local + 30 + r.u16(local + 26) + r.u16(local + 28);
    r.need(data, csize);
    NpzEntry e;
    e.name = name;
    if (method == 0) {
      if (csize != usize) bad(path, "stored entry '" + name + "' has mismatched sizes");
      e.data.assign(zip.begin() + data, zip.begin() + data + csize);
    } else if (method == 8) {
      // Deflate expands at most ~1032:1; a larger claimed size is a corrupt header, not a reason to allocate it.
      if (usize / 1032 > csize + 1) bad(path, "entry '" + name + "' claims an impossible uncompressed size");
      e.data = inflateRaw(path, name, zip.data() + data, csize, usize);
    } else {
      bad(path, "entry '" + name + "' uses zip compression method " + std::to_string(method) +
                    " (only stored and deflated are supported)");
    }
    entries.push_back(std::move(e));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

}  // namespace oi
