#include "blobs/job_paths.h"

#include <string>

#include "pipeline/output_writer.h"

namespace docmill {

std::filesystem::path JobPaths::page_json(std::string_view job_id, int page_index) const {
  return pages_dir(job_id) / (std::to_string(page_index) + ".json");
}

std::filesystem::path JobPaths::images_dir(std::string_view job_id) const {
  return job_dir(job_id) / kImagesDir;
}

}  // namespace docmill
