#include "e2e/e2e_fixture.h"

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

}  // namespace docmill::testing
