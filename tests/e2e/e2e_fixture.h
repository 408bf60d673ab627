#pragma once
// The shared set-up of the end-to-end tests: a temporary directory holding the data dir and
// the server's log, the documents the tests upload, and helpers to start the real binary.
#include <gtest/gtest.h>

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/e2e_http.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace docmill::testing {

// `pages` copies of the paper page. Uploaded with kSlowFields, Tesseract reads each page from a
// 300 dpi render, about a second a page: long enough to watch progress, delete or kill a job.
std::string ocr_document(int pages);
inline const std::map<std::string, std::string> kSlowFields = {{"force_ocr", "true"},
                                                               {"dpi", "300"}};

// A paper page and a page with a figure and its caption, read from the text layer (fast).
std::string content_document();

// One OCR page that, uploaded with kFailingFields to a server started with kFailingServer,
// runs past the page time limit: a document every page of which fails, after the upload
// check has accepted it (a PDF the check can see is unreadable is refused at upload instead).
std::string failing_document();
inline const std::map<std::string, std::string> kFailingServer = {
    {"DOCMILL_PAGE_TIMEOUT_SECONDS", "1"}};
inline const std::map<std::string, std::string> kFailingFields = {{"force_ocr", "true"},
                                                                  {"dpi", "600"}};

// The `docmill worker-process` children of `server`.
std::vector<pid_t> worker_pids(pid_t server);

// Waits until `log()` has `count` occurrences of `text`.
bool wait_for_log(const std::function<std::string()>& log, const std::string& text, int count,
                  std::chrono::milliseconds timeout);

class E2eTest : public ::testing::Test {
 protected:
  ServerProcess& start_server(std::map<std::string, std::string> env = {});
  // Stops (SIGKILL) the running server; the data dir stays.
  void kill_server();

  std::filesystem::path data_dir() const { return tmp_ / "data"; }
  std::filesystem::path jobs_dir() const { return data_dir() / "jobs"; }
  std::filesystem::path job_dir(const std::string& id) const { return jobs_dir() / id; }
  // Entries in jobs/ and uploads/: what a rejected upload must not leave.
  int leftover_files() const;

  // Uploads and returns the job id (failing the test when the upload is not accepted).
  std::string submit(httplib::Client& c, const std::string& pdf,
                     const std::map<std::string, std::string>& fields = {},
                     const std::string& filename = "document.pdf");

  std::string server_log() const;

  // A client of the running server that sends no token.
  httplib::Client bare_client() const;

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace docmill::testing
