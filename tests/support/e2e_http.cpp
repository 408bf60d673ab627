#include "support/e2e_http.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include <jpeglib.h>

namespace docmill::testing {

httplib::Result upload_pdf(httplib::Client& client, const std::string& bytes,
                           const std::string& filename,
                           const std::map<std::string, std::string>& fields) {
  httplib::MultipartFormDataItems items;
  items.push_back({"file", bytes, filename, "application/pdf"});
  for (const auto& [name, value] : fields) items.push_back({name, value, "", ""});
  return client.Post("/process_pdf", items);
}

nlohmann::json json_of(const httplib::Result& res) {
  if (!res) return nullptr;
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

nlohmann::json poll_status(httplib::Client& client, const std::string& job_id,
                           const std::function<bool(const nlohmann::json&)>& done,
                           std::chrono::milliseconds timeout,
                           const std::function<void(const nlohmann::json&)>& seen) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json last = nullptr;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = client.Get("/result/" + job_id + "/status");
    if (res && res->status == 200) {
      last = json_of(res);
      if (seen) seen(last);
      if (done(last)) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last;
}

nlohmann::json wait_finished(httplib::Client& client, const std::string& job_id,
                             std::chrono::milliseconds timeout) {
  return poll_status(
      client, job_id,
      [](const nlohmann::json& s) {
        return s.value("status", "") == "completed" || s.value("status", "") == "failed";
      },
      timeout);
}

namespace {

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

void on_jpeg_error(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegError*>(info->err)->jump, 1);
}

}  // namespace

bool decodes_as_jpeg(const std::string& jpeg, int* width, int* height) {
  if (jpeg.size() < 4 || static_cast<unsigned char>(jpeg[0]) != 0xFF ||
      static_cast<unsigned char>(jpeg[1]) != 0xD8) {
    return false;
  }
  jpeg_decompress_struct info{};
  JpegError err{};
  info.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_jpeg_error;
  // libjpeg reports errors by longjmp: nothing with a destructor lives between here and there,
  // and the one allocation is freed on both paths.
  unsigned char* volatile row = nullptr;
  if (setjmp(err.jump) != 0) {
    std::free(row);
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(jpeg.data()),
               static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&info, TRUE);
  jpeg_start_decompress(&info);
  const size_t stride = static_cast<size_t>(info.output_width) * info.output_components;
  row = static_cast<unsigned char*>(std::malloc(stride));
  while (info.output_scanline < info.output_height) {
    JSAMPROW rows[] = {row};
    jpeg_read_scanlines(&info, rows, 1);
  }
  std::free(row);
  if (width != nullptr) *width = static_cast<int>(info.output_width);
  if (height != nullptr) *height = static_cast<int>(info.output_height);
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  // Truncated data makes libjpeg pad with gray and warn, not fail: insist on the end marker.
  return err.mgr.num_warnings == 0 && static_cast<unsigned char>(jpeg[jpeg.size() - 2]) == 0xFF &&
         static_cast<unsigned char>(jpeg.back()) == 0xD9;
}

}  // namespace docmill::testing
