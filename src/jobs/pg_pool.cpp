#include "jobs/pg_pool.h"

#include <spdlog/spdlog.h>

#include <thread>
#include <utility>

namespace docmill::pg {

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}

Pool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->give_back(std::move(conn_));
}

Pool::Pool(std::string conninfo, int max_connections)
    : conninfo_(std::move(conninfo)), max_(std::max(1, max_connections)) {}

Result<Pool::Lease> Pool::acquire() {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // a place for the connection opened below, outside the lock
    }
  }
  auto ready = connected(std::move(conn));
  if (!ready) {
    give_back(nullptr);
    return std::unexpected(std::move(ready.error()));
  }
  return Lease(this, std::move(*ready));
}

// Opens `conn` when there is none yet, reconnects it when broken; between tries it waits
// 50 ms, doubling, for about kConnectPatience in all (a database restarting is back within
// seconds).
Result<std::unique_ptr<Connection>> Pool::connected(std::unique_ptr<Connection> conn) {
  auto wait = std::chrono::milliseconds(50);
  const auto give_up_at = std::chrono::steady_clock::now() + kConnectPatience;
  for (;;) {
    Status ok;
    if (!conn) {
      auto opened = Connection::open(conninfo_);
      if (opened) {
        conn = std::make_unique<Connection>(std::move(*opened));
      } else {
        ok = std::unexpected(std::move(opened.error()));
      }
    } else if (conn->broken()) {
      ok = conn->reset();
      if (ok) spdlog::info("reconnected to the job database");
    }
    if (ok) return conn;
    if (std::chrono::steady_clock::now() + wait > give_up_at) {
      return fail(ErrorCode::kDatabase,
                  fmt::format("cannot reach the job database: {}", ok.error().message));
    }
    std::this_thread::sleep_for(wait);
    wait *= 2;
  }
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  freed_.notify_one();
}

}  // namespace docmill::pg
