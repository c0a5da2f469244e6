#include "cli/publish_options.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>

#include "net/curl_client.hpp"

namespace driftlock::cli {
namespace {

Result<void> append_step_summary(const std::string& path, std::string_view markdown) {
  std::ofstream file(path, std::ios::binary | std::ios::app);
  if (file) file << markdown << (markdown.ends_with('\n') ? "\n" : "\n\n");
  if (file) file.flush();
  if (!file) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot append the report to GITHUB_STEP_SUMMARY '{}': {}", path,
                            std::strerror(errno)));
  }
  return {};
}

std::string_view action_text(forge::PostAction action) {
  switch (action) {
    case forge::PostAction::created:
      return "posted";
    case forge::PostAction::updated:
      return "updated";
    case forge::PostAction::unchanged:
      return "unchanged";
  }
  return "posted";
}

}  // namespace

Result<Publishing> prepare_publishing(const Args& args, const Context& context) {
  Publishing publishing;
  const std::string& comment = args.value("--comment");
  if (comment.empty()) return publishing;
  auto target = forge::parse_target(comment);
  if (!target) return std::unexpected(std::move(target.error()));
  auto endpoint = forge::endpoint_for(*target, context.env);
  if (!endpoint) return std::unexpected(std::move(endpoint.error()));
  publishing.target = std::move(*target);
  publishing.endpoint = std::move(*endpoint);
  return publishing;
}

void publish_markdown(Context& context, const Publishing& publishing, std::string_view image,
                      std::string_view command, const std::function<std::string()>& render_markdown,
                      Posting posting) {
  auto summary = context.env("GITHUB_STEP_SUMMARY");
  const bool to_summary = summary && !summary->empty();
  const bool to_comment = publishing.target && posting == Posting::post;
  if (publishing.target && posting == Posting::skip) {
    say(context,
        fmt::format("note: dry run: nothing posted to {}", forge::to_string(*publishing.target)));
  }
  if (!to_summary && !to_comment) return;

  const std::string markdown = render_markdown();
  if (to_summary) {
    if (auto appended = append_step_summary(*summary, markdown); !appended) {
      context.late_errors.push_back(std::move(appended.error()));
    }
  }
  if (!to_comment) return;
  net::CurlHttpClient http(forge::forge_http_options(), &context.clock);
  auto posted = forge::post_comment(http, *publishing.target, publishing.endpoint,
                                    forge::comment_marker(image, command), markdown);
  if (!posted) {
    context.late_errors.push_back(std::move(posted.error()));
    return;
  }
  say(context, fmt::format("comment {} on {}", action_text(posted->action),
                           forge::to_string(*publishing.target)));
}

}  // namespace driftlock::cli
