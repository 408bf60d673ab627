// load_check: many uploads plus a steady stream of /status requests against one running
// docmill server, with event streams (GET /result/{id}/events) held open meanwhile; prints
// errors, /status latency percentiles, how many streams were open at once, jobs completed and
// the server's peak RSS. A program, not a test: it measures, and fails (exit 1) only on
// request errors.
//
//   load_check --port N --pdf FILE [--host 127.0.0.1] [--uploads 20] [--rate 200]
//              [--seconds 60] [--streams 0] [--server-pid PID] [--token T]
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string pdf;
  int uploads = 20;
  int rate = 200;
  int seconds = 60;
  int streams = 0;
  int server_pid = 0;
  std::string token;
};

httplib::Headers auth_headers(const Options& o) {
  if (o.token.empty()) return {};
  return {{"Authorization", "Bearer " + o.token}};
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The server's peak resident set (VmHWM), in MiB; 0 when it cannot be read.
long peak_rss_mib(int pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return 0;
}

// The server's child processes (its `docmill worker-process`es), from /proc/PID/task/*/children.
std::vector<int> child_pids(int pid) {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid), ec)) {
    std::ifstream in(task.path() / "children");
    for (int child = 0; in >> child;) out.push_back(child);
  }
  return out;
}

// Counts one failed request and tells the first few on stderr, so a failing run says why.
void count_error(std::atomic<int>& errors, std::string_view what, const httplib::Result& res) {
  const int n = ++errors;
  if (n > 5) return;
  if (!res) {
    fmt::print(stderr, "load_check: {}: {}\n", what, httplib::to_string(res.error()));
  } else {
    fmt::print(stderr, "load_check: {}: HTTP {} {}\n", what, res->status, res->body.substr(0, 200));
  }
}

// Event streams held open on the jobs for as long as the /status load runs: each reconnects
// (after a second, as EventSource does) when its job's stream ends, and counts how many are
// open at once.
class StreamHolders {
 public:
  StreamHolders(const Options& o, const std::vector<std::string>& job_ids) {
    for (int i = 0; i < o.streams && !job_ids.empty(); ++i) {
      clients_.push_back(std::make_unique<httplib::Client>(o.host, o.port));
      clients_.back()->set_read_timeout(60, 0);
      const std::string path =
          fmt::format("/result/{}/events", job_ids[static_cast<size_t>(i) % job_ids.size()]);
      threads_.emplace_back([this, &o, path, cli = clients_.back().get()] {
        while (!stopping_) {
          bool opened = false;
          cli->Get(
              path, auth_headers(o),
              [&](const httplib::Response& r) {
                if (r.status == 200) {
                  opened = true;
                  const int now = ++open_;
                  for (int peak = peak_; now > peak && !peak_.compare_exchange_weak(peak, now);) {
                  }
                } else {
                  ++refused_;
                }
                return r.status == 200;
              },
              [&](const char* data, size_t len) {
                for (std::string_view rest(data, len); !rest.empty();) {
                  const auto at = rest.find("event: ");
                  if (at == std::string_view::npos) break;
                  ++events_;
                  rest.remove_prefix(at + 7);
                }
                return !stopping_.load();
              });
          if (opened) --open_;
          for (int i = 0; i < 10 && !stopping_; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
        }
      });
    }
  }
  // Waits (up to `timeout`) until every stream is open.
  void wait_open(std::chrono::seconds timeout) const {
    const auto until = Clock::now() + timeout;
    while (open_ < static_cast<int>(threads_.size()) && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  void stop() {
    stopping_ = true;
    for (auto& c : clients_) c->stop();
    threads_.clear();  // joins
  }
  int open() const { return open_; }
  int peak() const { return peak_; }
  long events() const { return events_; }
  int refused() const { return refused_; }
  size_t size() const { return clients_.size(); }

 private:
  std::vector<std::unique_ptr<httplib::Client>> clients_;
  std::vector<std::jthread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> open_{0};
  std::atomic<int> peak_{0};
  std::atomic<long> events_{0};
  std::atomic<int> refused_{0};
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::ranges::sort(v);
  const auto i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"docmill load check: uploads plus a steady /status load"};
  app.add_option("--host", o.host);
  app.add_option("--port", o.port)->required();
  app.add_option("--pdf", o.pdf, "the PDF every upload sends")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--uploads", o.uploads)->check(CLI::Range(1, 1000));
  app.add_option("--rate", o.rate, "/status requests per second")->check(CLI::Range(1, 10000));
  app.add_option("--seconds", o.seconds)->check(CLI::Range(1, 3600));
  app.add_option("--streams", o.streams, "event streams held open during the /status load")
      ->check(CLI::Range(0, 10000));
  app.add_option("--server-pid", o.server_pid, "for the server's peak RSS");
  app.add_option("--token", o.token, "AUTH_TOKEN of the server, if set");
  CLI11_PARSE(app, argc, argv);

  const std::string pdf = read_all(o.pdf);
  std::atomic<int> errors{0};
  std::mutex mu;
  std::vector<std::string> job_ids;

  // 1. All uploads at once.
  const auto upload_start = Clock::now();
  {
    std::vector<std::jthread> uploaders;
    for (int i = 0; i < o.uploads; ++i) {
      uploaders.emplace_back([&, i] {
        httplib::Client cli(o.host, o.port);
        cli.set_read_timeout(120, 0);
        httplib::MultipartFormDataItems items = {
            {"file", pdf, fmt::format("load-{}.pdf", i), "application/pdf"}};
        auto res = cli.Post("/process_pdf", auth_headers(o), items);
        if (!res || res->status != 200) {
          count_error(errors, "POST /process_pdf", res);
          return;
        }
        auto body = nlohmann::json::parse(res->body, nullptr, false);
        if (body.is_discarded() || !body.contains("job_id")) {
          count_error(errors, "POST /process_pdf answer without job_id", res);
          return;
        }
        std::lock_guard lock(mu);
        job_ids.push_back(body["job_id"].get<std::string>());
      });
    }
  }
  const double upload_s = std::chrono::duration<double>(Clock::now() - upload_start).count();
  if (job_ids.empty()) fmt::print(stderr, "load_check: no upload succeeded\n");

  // 2. Event streams opened, then /status at a fixed rate, spread over a few threads with fixed
  // schedules, while the streams stay open.
  StreamHolders streams(o, job_ids);
  streams.wait_open(std::chrono::seconds(10));
  const int streams_at_start = streams.open();
  constexpr int kThreads = 8;
  std::vector<std::vector<double>> latencies(kThreads);
  std::atomic<long> sent{0};
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(o.seconds);
  {
    std::vector<std::jthread> pollers;
    for (int t = 0; t < kThreads; ++t) {
      pollers.emplace_back([&, t] {
        httplib::Client cli(o.host, o.port);
        cli.set_keep_alive(true);
        const auto period = std::chrono::duration<double>(kThreads / static_cast<double>(o.rate));
        auto next = start + std::chrono::duration_cast<Clock::duration>(period * t / kThreads);
        latencies[t].reserve(static_cast<size_t>(o.rate) * o.seconds / kThreads + 1);
        for (long n = 0; next < end && !job_ids.empty(); ++n) {
          std::this_thread::sleep_until(next);
          const auto& id = job_ids[static_cast<size_t>(n * kThreads + t) % job_ids.size()];
          const auto t0 = Clock::now();
          auto res = cli.Get(fmt::format("/result/{}/status", id), auth_headers(o));
          latencies[t].push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          ++sent;
          if (!res || res->status != 200) count_error(errors, "GET /status", res);
          next += std::chrono::duration_cast<Clock::duration>(period);
        }
      });
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const int streams_at_end = streams.open();
  streams.stop();

  // 3. Where the jobs stand at the end.
  int completed = 0, failed = 0, pages_done = 0, pages_total = 0;
  httplib::Client cli(o.host, o.port);
  for (const auto& id : job_ids) {
    auto res = cli.Get(fmt::format("/result/{}/status", id), auth_headers(o));
    if (!res || res->status != 200) {
      count_error(errors, "final GET /status", res);
      continue;
    }
    auto s = nlohmann::json::parse(res->body, nullptr, false);
    if (s.is_discarded()) continue;
    completed += s.value("status", "") == "completed";
    failed += s.value("status", "") == "failed";
    pages_done += s.value("processed_pages", 0);
    pages_total += s.value("total_pages", 0);
  }

  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  fmt::print("uploads            {} ok of {} in {:.2f} s\n", job_ids.size(), o.uploads, upload_s);
  fmt::print("/status requests   {} in {:.1f} s ({:.0f}/s, target {}/s)\n", sent.load(), elapsed,
             static_cast<double>(sent.load()) / elapsed, o.rate);
  fmt::print("errors             {}\n", errors.load());
  fmt::print("/status latency    p50 {:.2f} ms  p99 {:.2f} ms  max {:.2f} ms\n",
             percentile(all, 0.50), percentile(all, 0.99), percentile(all, 1.0));
  if (streams.size() > 0) {
    fmt::print(
        "event streams      {} asked; open at once: {} at the start, {} at the end, {} at most; "
        "{} events; {} refused (503)\n",
        streams.size(), streams_at_start, streams_at_end, streams.peak(), streams.events(),
        streams.refused());
  }
  fmt::print("jobs completed     {} of {} ({} failed); pages processed {} of {}\n", completed,
             job_ids.size(), failed, pages_done, pages_total);
  if (o.server_pid > 0) {
    fmt::print("server peak RSS    {} MiB\n", peak_rss_mib(o.server_pid));
    // Worker processes (serve runs pages in children): the largest one's peak and the sum.
    long max_worker = 0, sum_workers = 0;
    const auto workers = child_pids(o.server_pid);
    for (int w : workers) {
      const long rss = peak_rss_mib(w);
      max_worker = std::max(max_worker, rss);
      sum_workers += rss;
    }
    if (!workers.empty()) {
      fmt::print("worker peak RSS    {} MiB (largest of {}; {} MiB together)\n", max_worker,
                 workers.size(), sum_workers);
    }
  }
  return errors.load() == 0 ? 0 : 1;
}
