// Where `run`, `check`, `bisect` and `report` put their Markdown report
// besides stdout: `--comment TARGET` (one comment, updated on later runs) and
// the GitHub Actions job summary ($GITHUB_STEP_SUMMARY).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "forge/comment.hpp"
#include "forge/target.hpp"

namespace driftlock::cli {

// What --comment asked for, checked before any work is done.
struct Publishing {
  std::optional<forge::Target> target;  // none without --comment
  forge::Endpoint endpoint;
};

// A malformed TARGET, a missing token or a bad API URL is a usage error.
Result<Publishing> prepare_publishing(const Args& args, const Context& context);

// Whether the comment is posted; a dry run writes nothing anywhere.
enum class Posting { post, skip };

// After the command's work, so it never changes what was shipped: appends
// the Markdown report to $GITHUB_STEP_SUMMARY when that is set and posts it as
// the comment `--comment` named, marked with the image and `command`.
// `render_markdown` runs only when one of them wants it. Failures are the
// context's late errors (exit 3 when the command otherwise succeeded).
void publish_markdown(Context& context, const Publishing& publishing, std::string_view image,
                      std::string_view command, const std::function<std::string()>& render_markdown,
                      Posting posting = Posting::post);

}  // namespace driftlock::cli
