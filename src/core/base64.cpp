#include "core/base64.hpp"

#include <openssl/evp.h>

#include <limits>

namespace driftlock {

std::string base64_encode(std::string_view data) {
  if (data.size() > std::numeric_limits<int>::max() / 2) return {};
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(data.data()),
                                      static_cast<int>(data.size()));
  out.resize(written < 0 ? 0 : static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() > std::numeric_limits<int>::max() / 2) return std::nullopt;
  std::string padded(text);
  // Docker and npm write padding; some writers leave it off.
  while (padded.size() % 4 != 0) padded += '=';
  if (padded.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
  std::string out(padded.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(padded.data()),
                                      static_cast<int>(padded.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the bytes padding stands for: drop them.
  std::size_t size = static_cast<std::size_t>(written);
  std::size_t pad = 0;
  for (std::size_t i = padded.size(); i > 0 && padded[i - 1] == '=' && pad < 2; --i) ++pad;
  // Padding belongs in the last two places only.
  const std::size_t first_pad = padded.find('=');
  if (first_pad != std::string::npos && first_pad < padded.size() - pad) return std::nullopt;
  if (pad > size) return std::nullopt;
  out.resize(size - pad);
  return out;
}

}  // namespace driftlock
