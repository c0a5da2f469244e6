// xz and gzip encoders for the Debian datasource tests, which serve indexes
// the way archives do (Packages.xz, Packages.gz).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <lzma.h>
#include <zlib.h>

namespace driftlock::testing::debian {

inline std::string xz_compress(std::string_view plain) {
  std::string out(lzma_stream_buffer_bound(plain.size()), '\0');
  std::size_t written = 0;
  const lzma_ret ret = lzma_easy_buffer_encode(
      6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const std::uint8_t*>(plain.data()),
      plain.size(), reinterpret_cast<std::uint8_t*>(out.data()), &written, out.size());
  if (ret != LZMA_OK) throw std::runtime_error("xz_compress failed");
  out.resize(written);
  return out;
}

inline std::string gz_compress(std::string_view plain) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("gz_compress failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(plain.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  stream.avail_in = static_cast<uInt>(plain.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int ret = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (ret != Z_STREAM_END) throw std::runtime_error("gz_compress failed");
  out.resize(stream.total_out);
  return out;
}

}  // namespace driftlock::testing::debian
