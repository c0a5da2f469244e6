#include "ecosystems/npm/closure.hpp"

#include <fmt/format.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "core/closure_json.hpp"
#include "core/json_locator.hpp"
#include "core/json_types.hpp"
#include "core/text.hpp"
#include "ecosystems/npm/name.hpp"
#include "ecosystems/npm/version.hpp"

namespace driftlock::ecosystems::npm {
namespace {

using Json = nlohmann::json;

// A registry install has no `resolved` (npm 7+ without --long) or an HTTP(S)
// tarball URL; file:, link: and git ones cannot be pinned from a registry.
bool from_registry(const Json& node) {
  auto resolved = node.find("resolved");
  if (resolved == node.end() || !resolved->is_string()) return true;
  const auto& url = resolved->get_ref<const std::string&>();
  return url.starts_with("https://") || url.starts_with("http://");
}

// The string at `key` of `object`, or "" when there is none.
std::string string_or_empty(const Json& object, const char* key) {
  auto value = object.find(key);
  return value != object.end() && value->is_string() ? value->get<std::string>() : std::string();
}

struct Pending {
  const Json* node;
  JsonPath path;       // of `node` in the listing, for error lines
  std::string parent;  // "" for the project itself
};

struct Found {
  std::string version;  // empty when skipped
  std::set<std::string> via;
};

class Flattener {
 public:
  explicit Flattener(std::string_view text) : m_text(text) {}

  Result<ClosureListing> run() {
    auto parsed = parse_listing_json(m_text);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    const Json& root = *parsed;
    if (!root.is_object()) {
      return error({}, fmt::format("expected the JSON object npm ls prints, found {}",
                                   json_type_name(root)));
    }
    // npm ls reports the tree's own problems (missing, invalid, extraneous)
    // as ELSPROBLEMS beside the tree, read below; any other error (a broken
    // package.json) leaves no tree to read.
    if (auto failure = root.find("error"); failure != root.end() && failure->is_object()) {
      const std::string code = string_or_empty(*failure, "code");
      if (code != "ELSPROBLEMS") {
        std::string message = "npm ls failed";
        for (const char* key : {"code", "summary"}) {
          const std::string part = string_or_empty(*failure, key);
          if (!part.empty()) message += ": " + escape_for_message(part, 200);
        }
        return error({"error"}, message);
      }
    }
    std::deque<Pending> queue = {Pending{&root, {}, ""}};
    while (!queue.empty()) {
      Pending at = std::move(queue.front());
      queue.pop_front();
      auto children = at.node->find("dependencies");
      if (children == at.node->end()) continue;
      JsonPath children_path = at.path;
      children_path.emplace_back("dependencies");
      if (!children->is_object()) {
        return error(children_path, fmt::format("expected an object for 'dependencies', found {}",
                                                json_type_name(*children)));
      }
      for (const auto& [name, child] : children->items()) {
        JsonPath path = children_path;
        path.emplace_back(name);
        if (auto ok = visit(name, child, path, at.parent); !ok) return std::unexpected(ok.error());
        // Every copy's dependencies are read: a nested copy of another
        // version may need packages nothing else does. Deduplicated copies
        // list none, so the walk ends.
        queue.push_back(Pending{&child, std::move(path), name});
      }
    }
    ClosureListing listing;
    for (auto& [name, found] : m_found) {
      if (found.version.empty()) continue;
      listing.packages.push_back(
          ClosurePackage{name, found.version, {found.via.begin(), found.via.end()}});
    }
    listing.skipped = std::move(m_skipped);
    return listing;
  }

 private:
  // Records one copy of `name`: its parent, and its version when it is the
  // first copy met (the shallowest).
  Result<void> visit(const std::string& name, const Json& node, const JsonPath& path,
                     const std::string& parent) {
    if (auto ok = validate_name(name); !ok) return error(path, ok.error().message, JsonAnchor::key);
    if (!node.is_object()) {
      return error(path,
                   fmt::format("expected an object for {}, found {}", name, json_type_name(node)));
    }
    const std::string required_by = parent.empty() ? "the project" : parent;
    if (auto missing = node.find("missing"); missing != node.end() && *missing == true) {
      return error(path, fmt::format("{} is missing (required by {})", name, required_by),
                   JsonAnchor::key);
    }
    auto version = node.find("version");
    if (version == node.end() || !version->is_string() ||
        version->get_ref<const std::string&>().empty()) {
      return error(path, fmt::format("{} has no version (required by {})", name, required_by),
                   JsonAnchor::key);
    }
    const auto& text = version->get_ref<const std::string&>();
    if (auto ok = version_scheme().normalize(text); !ok) {
      JsonPath at = path;
      at.emplace_back("version");
      return error(at, fmt::format("{}: {}", name, ok.error().message));
    }
    auto [it, first] = m_found.try_emplace(name);
    if (!parent.empty()) it->second.via.insert(parent);
    if (!first) return {};
    if (from_registry(node)) {
      it->second.version = text;
    } else {
      const auto& resolved = node.find("resolved")->get_ref<const std::string&>();
      m_skipped.push_back(skipped_text(fmt::format("{}@{} from {}", name, text, resolved)));
    }
    return {};
  }

  std::unexpected<Error> error(const JsonPath& path, std::string_view message,
                               JsonAnchor anchor = JsonAnchor::value) const {
    return fail_listing_line(line_of(m_text, json_offset(m_text, path, anchor)), message);
  }

  std::string_view m_text;
  std::map<std::string, Found> m_found;  // by name: sorted
  std::vector<std::string> m_skipped;
};

}  // namespace

Result<ClosureListing> parse_closure(std::string_view listing) {
  return Flattener(listing).run();
}

}  // namespace driftlock::ecosystems::npm
