#pragma once
// Where a job's files live under the data dir. The upload creates a job's directory; workers
// only write inside one that exists, so a deleted job's directory is never recreated.
//
//   DATA_DIR/task_status.db
//   DATA_DIR/uploads/<id>.part          an upload while it streams in
//   DATA_DIR/jobs/<id>/input.pdf        the accepted upload
//   DATA_DIR/jobs/<id>/pages/<n>.json   one processed page (0-based n)
//   DATA_DIR/jobs/<id>/images/<n>_<i>.jpg
//   DATA_DIR/jobs/<id>/output.md, output_det.md, layout.pdf
#include <filesystem>
#include <string_view>

namespace docmill {

class JobPaths {
 public:
  explicit JobPaths(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}

  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path database() const { return data_dir_ / "task_status.db"; }
  std::filesystem::path uploads_dir() const { return data_dir_ / "uploads"; }
  std::filesystem::path jobs_dir() const { return data_dir_ / "jobs"; }

  std::filesystem::path job_dir(std::string_view job_id) const { return jobs_dir() / job_id; }
  std::filesystem::path input_pdf(std::string_view job_id) const {
    return job_dir(job_id) / "input.pdf";
  }
  std::filesystem::path pages_dir(std::string_view job_id) const {
    return job_dir(job_id) / "pages";
  }
  std::filesystem::path page_json(std::string_view job_id, int page_index) const;
  std::filesystem::path images_dir(std::string_view job_id) const;

 private:
  std::filesystem::path data_dir_;
};

}  // namespace docmill
