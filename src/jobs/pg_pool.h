#pragma once
// A few PostgreSQL connections shared by a process's threads: a thread takes one for a
// transaction and gives it back. Connections are opened as needed, up to a maximum, and one
// found broken (the server restarted) is reconnected, with backoff, before it is handed out.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "jobs/pg_connection.h"

namespace docmill::pg {

class Pool {
 public:
  // A connection taken from the pool; given back when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Pool(std::string conninfo, int max_connections);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A working connection: waits for a free one at the maximum; reconnects (or connects) with
  // backoff for about `kConnectPatience` before it gives up with the server's message.
  Result<Lease> acquire();

  static constexpr std::chrono::milliseconds kConnectPatience{5'000};

 private:
  void give_back(std::unique_ptr<Connection> conn);
  Result<std::unique_ptr<Connection>> connected(std::unique_ptr<Connection> conn);

  const std::string conninfo_;
  const int max_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;  // connections in existence, idle or leased (guarded by mu_)
};

}  // namespace docmill::pg
