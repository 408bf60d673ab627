#pragma once
// Deleting a job, for DELETE and for retention: rows first (from then on no unit of it can be
// claimed), then its running units are stopped and waited for, then its files go (from the
// blob store and this node), so that nothing writes into a directory after it is removed.
#include <string_view>

#include "blobs/blob_store.h"
#include "core/error.h"
#include "exec/work_control.h"
#include "jobs/job_store.h"

namespace docmill {

// False when there was no such job (or a concurrent removal won).
Result<bool> remove_job(JobStore& store, WorkControl& workers, BlobStore& blobs,
                        std::string_view job_id);

}  // namespace docmill
