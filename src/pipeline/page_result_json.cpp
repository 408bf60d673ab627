#include "pipeline/page_result_json.h"

#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "layout/geometry.h"

namespace docmill {

using nlohmann::json;

namespace {

// Word boxes to a hundredth of a point: enough to place a word, a fraction of the digits.
double rounded(float v) {
  return std::round(static_cast<double>(v) * 100) / 100;
}

json box_json(const Box& b) {
  return {rounded(b.x0), rounded(b.y0), rounded(b.x1), rounded(b.y1)};
}

std::optional<Box> box_from_json(const json& j, size_t at = 0) {
  if (!j.is_array() || j.size() < at + 4) return std::nullopt;
  for (size_t i = at; i < at + 4; ++i) {
    if (!j[i].is_number()) return std::nullopt;
  }
  return Box{j[at].get<float>(), j[at + 1].get<float>(), j[at + 2].get<float>(),
             j[at + 3].get<float>()};
}

// "ocr_lines": [{"box": [x0, y0, x1, y1], "words": [[x0, y0, x1, y1, "word"], ...]}, ...]
json ocr_lines_json(const std::vector<OcrLine>& lines) {
  json out = json::array();
  for (const auto& line : lines) {
    json words = json::array();
    for (const auto& w : line.words) {
      json jw = box_json(w.box);
      jw.push_back(w.text);
      words.push_back(std::move(jw));
    }
    out.push_back({{"box", box_json(line.box)}, {"words", std::move(words)}});
  }
  return out;
}

std::optional<std::vector<OcrLine>> ocr_lines_from_json(const json& j) {
  if (!j.is_array()) return std::nullopt;
  std::vector<OcrLine> lines;
  for (const auto& jl : j) {
    if (!jl.is_object()) return std::nullopt;
    auto box = box_from_json(jl.value("box", json()));
    auto words = jl.find("words");
    if (!box || words == jl.end() || !words->is_array()) return std::nullopt;
    OcrLine line{*box, {}};
    for (const auto& jw : *words) {
      auto wbox = box_from_json(jw);
      if (!wbox || jw.size() != 5 || !jw[4].is_string()) return std::nullopt;
      line.words.push_back({*wbox, jw[4].get<std::string>()});
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

json to_json(const PageResult& p) {
  json blocks = json::array();
  for (const auto& b : p.blocks) {
    const NormalizedBox n = normalize_box(b.box, p.width, p.height);
    json jb = {{"label", to_string(b.label)},
               {"box", {n.x0, n.y0, n.x1, n.y1}},
               {"box_pt", {b.box.x0, b.box.y0, b.box.x1, b.box.y1}},
               {"text", b.text}};
    if (!b.more_boxes.empty()) {
      json more = json::array();
      for (const auto& m : b.more_boxes) more.push_back({m.x0, m.y0, m.x1, m.y1});
      jb["more_boxes_pt"] = std::move(more);
    }
    if (b.heading_level > 0) jb["heading_level"] = b.heading_level;
    if (b.image_index >= 0) jb["image_index"] = b.image_index;
    blocks.push_back(std::move(jb));
  }
  json j = {{"page", p.page_index},
            {"width_pt", p.width},
            {"height_pt", p.height},
            {"method", to_string(p.method)},
            {"rotation", p.rotation},
            {"blocks", std::move(blocks)},
            {"mean_confidence", p.mean_confidence ? json(*p.mean_confidence) : json(nullptr)},
            {"millis", p.millis},
            {"warnings", p.warnings},
            {"error", p.error ? json(*p.error) : json(nullptr)}};
  if (p.ocr_dpi > 0) j["ocr_dpi"] = p.ocr_dpi;
  if (!p.ocr_lines.empty()) j["ocr_lines"] = ocr_lines_json(p.ocr_lines);
  if (p.image_ppi) j["image_ppi"] = *p.image_ppi;
  if (p.hidden_layer) {
    const auto& h = *p.hidden_layer;
    j["hidden_text_layer"] = {
        {"action", h.kept ? "kept" : "redone"}, {"quality", h.quality}, {"reason", h.reason}};
  }
  if (p.rotation_check) {
    const auto& r = *p.rotation_check;
    const auto opt = [](const std::optional<float>& v) { return v ? json(*v) : json(nullptr); };
    j["rotation_check"] = {{"proposed", r.proposed},
                           {"applied", r.applied},
                           {"osd_confidence", r.osd_confidence},
                           {"strip_confidence_as_is", opt(r.strip_confidence_as_is)},
                           {"strip_confidence_turned", opt(r.strip_confidence_turned)},
                           {"reason", r.reason}};
  }
  if (p.vlm) {
    const auto& v = *p.vlm;
    j["vlm"] = {{"model", v.model},
                {"prompt_tokens", v.prompt_tokens},
                {"completion_tokens", v.completion_tokens},
                {"finish_reason", v.finish_reason},
                {"retries", v.retries},
                {"image_size", {v.image_width, v.image_height}},
                {"fallback", v.fallback ? json(*v.fallback) : json(nullptr)}};
  }
  return j;
}

Result<PageResult> page_result_from_json(const json& j) {
  // Parsing our own files; a mismatch means the file was damaged, reported as such.
  const auto bad = [](std::string_view what) {
    return fail(ErrorCode::kCorrupt, fmt::format("page record is damaged: {}", what));
  };
  if (!j.is_object()) return bad("not an object");
  PageResult p;
  const auto num = [&](const char* key, auto& out) -> bool {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return false;
    out = it->get<std::remove_reference_t<decltype(out)>>();
    return true;
  };
  if (!num("page", p.page_index) || !num("width_pt", p.width) || !num("height_pt", p.height)) {
    return bad("page or size missing");
  }
  num("rotation", p.rotation);
  num("millis", p.millis);
  const auto method = j.find("method");
  if (method == j.end() || !method->is_string()) return bad("method missing");
  auto m = parse_read_method(method->get<std::string>());
  if (!m) return bad("unknown method");
  p.method = *m;
  if (auto c = j.find("mean_confidence"); c != j.end() && c->is_number()) {
    p.mean_confidence = c->get<float>();
  }
  if (auto e = j.find("error"); e != j.end() && e->is_string()) p.error = e->get<std::string>();
  if (auto w = j.find("warnings"); w != j.end() && w->is_array()) {
    for (const auto& s : *w) {
      if (s.is_string()) p.warnings.push_back(s.get<std::string>());
    }
  }
  if (auto v = j.find("vlm"); v != j.end() && v->is_object()) {
    VlmPageStats stats;
    const auto text = [&](const char* key) {
      auto it = v->find(key);
      return it != v->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const auto integer = [&](const char* key) {
      auto it = v->find(key);
      return it != v->end() && it->is_number_integer() ? it->get<int>() : 0;
    };
    stats.model = text("model");
    stats.finish_reason = text("finish_reason");
    stats.prompt_tokens = integer("prompt_tokens");
    stats.completion_tokens = integer("completion_tokens");
    stats.retries = integer("retries");
    if (auto size = v->find("image_size"); size != v->end() && size->is_array() &&
                                           size->size() == 2 && (*size)[0].is_number_integer() &&
                                           (*size)[1].is_number_integer()) {
      stats.image_width = (*size)[0].get<int>();
      stats.image_height = (*size)[1].get<int>();
    }
    if (auto f = v->find("fallback"); f != v->end() && f->is_string()) {
      stats.fallback = f->get<std::string>();
    }
    p.vlm = std::move(stats);
  }
  num("ocr_dpi", p.ocr_dpi);
  if (auto ppi = j.find("image_ppi"); ppi != j.end() && ppi->is_number()) {
    p.image_ppi = ppi->get<float>();
  }
  if (auto h = j.find("hidden_text_layer"); h != j.end() && h->is_object()) {
    HiddenLayerReport r;
    r.kept = h->value("action", std::string()) == "kept";
    if (auto q = h->find("quality"); q != h->end() && q->is_number()) r.quality = q->get<float>();
    if (auto w = h->find("reason"); w != h->end() && w->is_string())
      r.reason = w->get<std::string>();
    p.hidden_layer = std::move(r);
  }
  if (auto rc = j.find("rotation_check"); rc != j.end() && rc->is_object()) {
    RotationReport r;
    const auto number = [&](const char* key) -> std::optional<float> {
      auto it = rc->find(key);
      if (it == rc->end() || !it->is_number()) return std::nullopt;
      return it->get<float>();
    };
    r.proposed = static_cast<int>(number("proposed").value_or(0));
    r.applied = static_cast<int>(number("applied").value_or(0));
    r.osd_confidence = number("osd_confidence").value_or(0);
    r.strip_confidence_as_is = number("strip_confidence_as_is");
    r.strip_confidence_turned = number("strip_confidence_turned");
    if (auto w = rc->find("reason"); w != rc->end() && w->is_string()) {
      r.reason = w->get<std::string>();
    }
    p.rotation_check = std::move(r);
  }
  if (auto lines = j.find("ocr_lines"); lines != j.end()) {
    auto parsed = ocr_lines_from_json(*lines);
    if (!parsed) return bad("OCR word boxes");
    p.ocr_lines = std::move(*parsed);
  }
  const auto blocks = j.find("blocks");
  if (blocks == j.end() || !blocks->is_array()) return bad("blocks missing");
  for (const auto& jb : *blocks) {
    if (!jb.is_object()) return bad("block is not an object");
    Block b;
    auto label = jb.find("label");
    if (label == jb.end() || !label->is_string()) return bad("block label missing");
    auto l = parse_label(label->get<std::string>());
    if (!l) return bad("unknown block label");
    b.label = *l;
    auto box = jb.find("box_pt");
    if (box == jb.end() || !box->is_array() || box->size() != 4) return bad("block box missing");
    for (const auto& v : *box) {
      if (!v.is_number()) return bad("block box is not numeric");
    }
    b.box = {(*box)[0].get<float>(), (*box)[1].get<float>(), (*box)[2].get<float>(),
             (*box)[3].get<float>()};
    if (auto t = jb.find("text"); t != jb.end() && t->is_string()) b.text = t->get<std::string>();
    if (auto more = jb.find("more_boxes_pt"); more != jb.end() && more->is_array()) {
      for (const auto& m : *more) {
        if (!m.is_array() || m.size() != 4 || !m[0].is_number() || !m[1].is_number() ||
            !m[2].is_number() || !m[3].is_number()) {
          return bad("block box is not numeric");
        }
        b.more_boxes.push_back(
            {m[0].get<float>(), m[1].get<float>(), m[2].get<float>(), m[3].get<float>()});
      }
    }
    if (auto h = jb.find("heading_level"); h != jb.end() && h->is_number_integer()) {
      b.heading_level = h->get<int>();
    }
    if (auto i = jb.find("image_index"); i != jb.end() && i->is_number_integer()) {
      b.image_index = i->get<int>();
    }
    p.blocks.push_back(std::move(b));
  }
  return p;
}

}  // namespace docmill
