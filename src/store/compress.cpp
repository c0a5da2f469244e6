#include "store/compress.hpp"

#include <zlib.h>

namespace driftlock::store {
namespace {

// Below this, the zlib header and a row's overhead eat most of the gain.
constexpr std::size_t kMinimumSize = 256;

const Bytef* bytes_of(std::string_view s) {
  return reinterpret_cast<const Bytef*>(s.data());
}

}  // namespace

std::optional<std::string> deflate_if_smaller(std::string_view bytes) {
  if (bytes.size() < kMinimumSize) return std::nullopt;
  uLongf capacity = compressBound(bytes.size());
  std::string out(capacity, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &capacity, bytes_of(bytes), bytes.size(),
                Z_BEST_SPEED) != Z_OK) {
    return std::nullopt;
  }
  if (capacity > bytes.size() - bytes.size() / 8) return std::nullopt;
  out.resize(capacity);
  return out;
}

std::optional<std::string> inflate_exactly(std::string_view stream, std::size_t size) {
  std::string out(size, '\0');
  uLongf produced = size;
  uLong consumed = stream.size();
  // uncompress2 reports Z_BUF_ERROR when the stream holds more than `size`
  // bytes, and leaves `consumed` short of the input when data trails it.
  // The output buffer must not be null even when size is 0.
  Bytef spare = 0;
  Bytef* target = size == 0 ? &spare : reinterpret_cast<Bytef*>(out.data());
  if (uncompress2(target, &produced, bytes_of(stream), &consumed) != Z_OK) return std::nullopt;
  if (produced != size || consumed != stream.size()) return std::nullopt;
  return out;
}

}  // namespace driftlock::store
