#include "pdf/stream_lengths.h"

namespace docmill {

void repair_stream_lengths(fz_context* ctx, pdf_document* doc) {
  const int count = pdf_xref_len(ctx, doc);
  for (int num = 1; num < count; ++num) {
    fz_stream* raw = nullptr;
    fz_buffer* data = nullptr;
    fz_var(raw);
    fz_var(data);
    fz_try(ctx) {
      if (pdf_obj_num_is_stream(ctx, doc, num)) {
        pdf_obj* dict = pdf_load_object(ctx, doc, num);
        fz_try(ctx) {
          pdf_obj* length = pdf_resolve_indirect(ctx, pdf_dict_get(ctx, dict, PDF_NAME(Length)));
          if (!pdf_is_int(ctx, length) || pdf_to_int64(ctx, length) < 0) {
            raw = pdf_open_raw_stream_number(ctx, doc, num);
            data = fz_read_all(ctx, raw, 1024);
            pdf_dict_put_int(ctx, dict, PDF_NAME(Length),
                             static_cast<int64_t>(fz_buffer_storage(ctx, data, nullptr)));
          }
        }
        fz_always(ctx) {
          pdf_drop_obj(ctx, dict);
        }
        fz_catch(ctx) {
          fz_rethrow(ctx);
        }
      }
    }
    fz_always(ctx) {
      fz_drop_buffer(ctx, data);
      fz_drop_stream(ctx, raw);
    }
    fz_catch(ctx) {
      // Left as it is.
    }
  }
}

}  // namespace docmill
