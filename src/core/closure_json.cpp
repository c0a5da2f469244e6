#include "core/closure_json.hpp"

#include "core/closure.hpp"

namespace driftlock {

Result<nlohmann::json> parse_listing_json(std::string_view text) {
  if (auto ok = check_listing_depth(text); !ok) return std::unexpected(ok.error());
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return fail_listing_json(text, e.byte, e.what());
  } catch (const nlohmann::json::exception& e) {
    return fail_listing_json(text, 0, e.what());
  }
}

}  // namespace driftlock
