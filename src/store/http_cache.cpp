#include "store/http_cache.hpp"

#include "store/compress.hpp"
#include "store/time_column.hpp"

namespace driftlock::store {

Result<std::optional<CachedResponse>> HttpCache::get(std::string_view url) {
  auto select = m_database->prepare(
      "SELECT etag, last_modified, content_type, fetched_at, encoding, size, body "
      "FROM http_cache WHERE url = ?1");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, url);
  auto row = select->step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return std::nullopt;

  CachedResponse entry;
  entry.url = std::string(url);
  entry.etag = select->column_optional_text(0);
  entry.last_modified = select->column_optional_text(1);
  entry.content_type = select->column_optional_text(2);
  entry.fetched_at = to_timestamp(select->column_int64(3));
  const std::string encoding = select->column_text(4);
  const std::int64_t size = select->column_int64(5);
  std::string stored = select->column_blob(6);
  if (encoding == "identity") {
    if (static_cast<std::int64_t>(stored.size()) != size) return std::nullopt;
    entry.body = std::move(stored);
  } else {
    if (size < 0) return std::nullopt;
    auto body = inflate_exactly(stored, static_cast<std::size_t>(size));
    if (!body) return std::nullopt;
    entry.body = std::move(*body);
  }
  return entry;
}

Result<void> HttpCache::put(const CachedResponse& entry) {
  auto insert = m_database->prepare(
      "INSERT OR REPLACE INTO http_cache "
      "(url, etag, last_modified, content_type, fetched_at, encoding, size, body) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert) return std::unexpected(std::move(insert.error()));
  const std::optional<std::string> compressed = deflate_if_smaller(entry.body);
  insert->bind(1, entry.url)
      .bind(2, entry.etag)
      .bind(3, entry.last_modified)
      .bind(4, entry.content_type)
      .bind(5, to_column(entry.fetched_at))
      .bind(6, compressed ? "zlib" : "identity")
      .bind(7, static_cast<std::int64_t>(entry.body.size()))
      .bind_blob(8, compressed ? std::string_view(*compressed) : std::string_view(entry.body));
  return insert->run();
}

Result<bool> HttpCache::refresh(std::string_view url, Timestamp fetched_at,
                                const std::optional<std::string>& etag,
                                const std::optional<std::string>& last_modified) {
  auto update = m_database->prepare(
      "UPDATE http_cache SET fetched_at = ?2, etag = coalesce(?3, etag), "
      "last_modified = coalesce(?4, last_modified) WHERE url = ?1");
  if (!update) return std::unexpected(std::move(update.error()));
  update->bind(1, url).bind(2, to_column(fetched_at)).bind(3, etag).bind(4, last_modified);
  if (auto done = update->run(); !done) return std::unexpected(std::move(done.error()));
  return m_database->changes() > 0;
}

Result<bool> HttpCache::erase(std::string_view url) {
  auto remove = m_database->prepare("DELETE FROM http_cache WHERE url = ?1");
  if (!remove) return std::unexpected(std::move(remove.error()));
  remove->bind(1, url);
  if (auto done = remove->run(); !done) return std::unexpected(std::move(done.error()));
  return m_database->changes() > 0;
}

Result<std::size_t> HttpCache::prune(Timestamp cutoff) {
  auto remove = m_database->prepare("DELETE FROM http_cache WHERE fetched_at < ?1");
  if (!remove) return std::unexpected(std::move(remove.error()));
  remove->bind(1, to_column(cutoff));
  if (auto done = remove->run(); !done) return std::unexpected(std::move(done.error()));
  return static_cast<std::size_t>(m_database->changes());
}

Result<std::size_t> HttpCache::count_before(Timestamp cutoff) {
  auto count = m_database->prepare("SELECT COUNT(*) FROM http_cache WHERE fetched_at < ?1");
  if (!count) return std::unexpected(std::move(count.error()));
  count->bind(1, to_column(cutoff));
  auto row = count->step();
  if (!row) return std::unexpected(std::move(row.error()));
  return *row ? static_cast<std::size_t>(count->column_int64(0)) : std::size_t{0};
}

}  // namespace driftlock::store
