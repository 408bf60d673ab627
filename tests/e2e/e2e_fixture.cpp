#include "e2e/e2e_fixture.h"

#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "support/pdf_factory.h"

namespace docmill::testing {

std::string ocr_document(int pages) {
  return make_pdf(std::vector<PageSpec>(static_cast<size_t>(pages), paper_page()));
}

std::string content_document() {
  return make_pdf({paper_page(), figure_page()});
}

std::string failing_document() {
  return ocr_document(1);
}

ServerProcess& E2eTest::start_server(std::map<std::string, std::string> env) {
  client_.reset();
  server_ = ServerProcess::start({data_dir(), tmp_ / "server.log", std::move(env)});
  client_ = server_->client();
  return *server_;
}

void E2eTest::kill_server() {
  client_.reset();
  server_.reset();  // SIGKILL
}

httplib::Client E2eTest::bare_client() const {
  httplib::Client c("127.0.0.1", server_->port());
  c.set_connection_timeout(std::chrono::seconds(5));
  c.set_read_timeout(std::chrono::seconds(30));
  return c;
}

int E2eTest::leftover_files() const {
  int n = 0;
  for (const auto* dir : {"jobs", "uploads"}) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(data_dir() / dir, ec);
         !ec && it != std::filesystem::directory_iterator(); ++it) {
      ++n;
    }
  }
  return n;
}

std::string E2eTest::submit(httplib::Client& c, const std::string& pdf,
                            const std::map<std::string, std::string>& fields,
                            const std::string& filename) {
  auto res = upload_pdf(c, pdf, filename, fields);
  if (!res) {
    ADD_FAILURE() << "upload: no response: " << httplib::to_string(res.error());
    return {};
  }
  EXPECT_EQ(res->status, 200) << res->body;
  return json_of(res).value("job_id", "");
}

std::string E2eTest::server_log() const {
  return read_bytes(tmp_ / "server.log");
}

std::vector<pid_t> worker_pids(pid_t server) {
  std::vector<pid_t> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != server) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    const std::string args((std::istreambuf_iterator<char>(cmdline)), {});
    if (args.find(std::string("worker-process") + '\0') != std::string::npos) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

bool wait_for_log(const std::function<std::string()>& log, const std::string& text, int count,
                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string s = log();
    int n = 0;
    for (auto pos = s.find(text); pos != std::string::npos; pos = s.find(text, pos + 1)) ++n;
    if (n >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace docmill::testing
