#pragma once
// Rewriting a whole PDF with MuPDF (layout.pdf, searchable.pdf when the input cannot be updated
// incrementally): the limit on what is rewritten, and the repairs the writer needs first.
#include <mupdf/pdf.h>

namespace docmill {

// Writing into the original loads and rewrites every object: for a file of millions of objects
// (a normal 2000-page book has under 200,000) that took minutes and most of a worker's memory,
// so such a file is not rewritten.
inline constexpr int kMaxRewrittenObjects = 500'000;

// Each stream's /Length as a plain number of bytes where the file gave something else: a
// reference to the stream itself sends the writer's garbage collection into unbounded
// recursion (a segfault), and a negative one into a malloc of 2^64 bytes. The data is read
// by MuPDF's endstream search, as the pages' interpreter reads it. Objects that cannot be
// read are left for the writer to report. Throws only as MuPDF does (inside fz_try).
void repair_stream_lengths(fz_context* ctx, pdf_document* doc);

}  // namespace docmill
