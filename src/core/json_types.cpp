#include "core/json_types.hpp"

#include <nlohmann/json.hpp>

namespace driftlock {

std::string_view json_type_name(const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null:
      return "null";
    case Type::boolean:
      return "a boolean";
    case Type::string:
      return "a string";
    case Type::array:
      return "an array";
    case Type::object:
      return "an object";
    case Type::number_float:
      return "a number";
    case Type::number_integer:
    case Type::number_unsigned:
      return "an integer";
    default:
      return "a value";
  }
}

}  // namespace driftlock
