// Shared by the JSON renderers: ordered keys (the documented order is the
// output order), null for absent values, and one way to print a document.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace driftlock::publish {

using OrderedJson = nlohmann::ordered_json;

inline OrderedJson optional_string(const std::optional<std::string>& s) {
  return s ? OrderedJson(*s) : OrderedJson(nullptr);
}

// Two-space indent, one trailing newline; invalid UTF-8 from registries or
// logs is replaced, never a reason to fail.
inline std::string dump_json(const OrderedJson& document) {
  return document.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

}  // namespace driftlock::publish
