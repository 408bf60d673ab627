// The VLM engine through the real `docmill serve`: pages read by a model server (the fake one
// of support/fake_vlm_server.h, in this process, reached by the server's workers over
// 127.0.0.1), with every way a model server fails ending as issue 8 specifies.
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "e2e/e2e_fixture.h"
#include "pdf/pdf_document.h"
#include "support/fake_vlm_server.h"
#include "support/pdf_factory.h"
#include "support/tcp_connections.h"

namespace docmill::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kModel = "deepseek-ai/DeepSeek-OCR";
constexpr const char* kGroundingPrompt = "<|grounding|>Convert the document to markdown.";

// `pages` copies of the paper page, printed and scanned: no text layer, so every page goes to
// the model (and, on a fallback, to Tesseract).
std::string scanned_document(int pages) {
  return scanned_pdf(ocr_document(pages), 100);
}

// Image-only pages that a request tells apart by its image: page i is a picture 500 + 60 i
// pixels wide and 700 high at 100 dpi, so its render is as much wider than the one before.
constexpr int kSizedHeight = 700;
int sized_width(int page) {
  return 500 + 60 * page;
}
std::string sized_pages_document(int pages) {
  std::vector<ScanPage> scans;
  for (int i = 0; i < pages; ++i) scans.push_back({gradient(sized_width(i), kSizedHeight), 100});
  return image_pdf(scans);
}
// The page a request of sized_pages_document was for, from its image's size.
int sized_page_of(const FakeRequest& r) {
  if (r.image_height <= 0) return -1;
  const double scale = static_cast<double>(r.image_height) / kSizedHeight;
  return static_cast<int>(std::lround((r.image_width / scale - sized_width(0)) / 60.0));
}

bool finished(const json& s) {
  return s["status"] == "completed" || s["status"] == "failed";
}

class VlmE2e : public E2eTest {
 protected:
  // A serve on the fake model server: the VLM engine, one worker process, two requests at once.
  static std::map<std::string, std::string> vlm_env(
      const FakeVlmServer& vlm, const std::map<std::string, std::string>& more = {}) {
    std::map<std::string, std::string> env = {{"DOCMILL_VLM_URL", vlm.base_url()},
                                              {"DOCMILL_ENGINE", "vlm"},
                                              {"DOCMILL_WORKERS", "1"},
                                              {"DOCMILL_VLM_CONCURRENCY", "2"},
                                              // Tesseract fallbacks: a quicker render.
                                              {"DOCMILL_DPI", "200"}};
    for (const auto& [k, v] : more) env[k] = v;
    return env;
  }

  json finish(const std::string& id, seconds timeout = seconds(60)) {
    return wait_finished(*client_, id, timeout);
  }

  // What the job recorded for a page (pages/<n>.json in its directory; the API serves no such
  // file); null when there is none.
  json page_record(const std::string& id, int page) const {
    const auto file = job_dir(id) / "pages" / (std::to_string(page) + ".json");
    if (!std::filesystem::exists(file)) return nullptr;
    return json::parse(read_bytes(file), nullptr, /*allow_exceptions=*/false);
  }

  std::string content(const std::string& id, const char* what) {
    const json j = json_of(client_->Get("/result/" + id + what));
    return j.contains("content") && j["content"].is_string() ? j["content"].get<std::string>()
                                                             : std::string();
  }

  bool model_loaded() {
    const json h = json_of(client_->Get("/health"));
    return h.is_object() && h.value("model_loaded", false);
  }

  // Polls /health until model_loaded is `want` or `timeout` passes; the last value seen.
  bool wait_model_loaded(bool want, milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    bool loaded = model_loaded();
    while (loaded != want && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(milliseconds(100));
      loaded = model_loaded();
    }
    return loaded;
  }
};

// ---- a scanned upload, all four outputs ----

TEST_F(VlmE2e, AScannedUploadComesOutInAllFourOutputsAskingEachPageOnce) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  const std::string answer = vlm_fixture("paper_page.txt");
  ASSERT_FALSE(answer.empty());
  vlm.set_default_reply(FakeReply::answer(answer));
  start_server(vlm_env(vlm));
  EXPECT_TRUE(wait_model_loaded(true, seconds(10)));

  const int pages = 2;
  const std::string id = submit(*client_, scanned_document(pages));
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["processed_pages"], pages);

  // One request a page, as VLM.md shows it.
  const auto asked = vlm.completions();
  ASSERT_EQ(asked.size(), static_cast<size_t>(pages));
  for (const auto& r : asked) {
    EXPECT_EQ(r.model, kModel);
    EXPECT_EQ(r.prompt, kGroundingPrompt);
    ASSERT_TRUE(r.temperature.has_value());
    EXPECT_EQ(*r.temperature, 0.0);
    EXPECT_EQ(r.max_tokens, 6000);
    EXPECT_TRUE(r.skip_special_tokens_false) << r.body.dump();
    EXPECT_EQ(
        r.vllm_xargs,
        (json{{"ngram_size", 30}, {"window_size", 90}, {"whitelist_token_ids", {128821, 128822}}}))
        << r.body.dump();
    EXPECT_EQ(r.image_mime, "image/jpeg");
    EXPECT_GT(std::min(r.image_width, r.image_height), 500);
    EXPECT_LE(std::max(r.image_width, r.image_height), 1920);
  }

  // output.md: the model's text, its heading marks, the plain table as a markdown table, the
  // spanning one as HTML, the equation as $$, the figure linked, no grounding tags.
  const std::string md = content(id, "/markdown");
  EXPECT_NE(md.find("# Spectral Bounds for Sparse Graph Laplacians"), std::string::npos) << md;
  EXPECT_NE(md.find("## 1. Introduction"), std::string::npos) << md;
  EXPECT_NE(md.find("### 1.1 Notation"), std::string::npos) << md;
  EXPECT_NE(md.find("| Method | F1 |\n| --- | --- |\n| Ours | 0.91 |\n| Baseline | 0.84 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find(R"(<td rowspan="2">Family</td>)"), std::string::npos) << md;
  EXPECT_NE(md.find("$$\nP(\\lambda) = \\lambda^2 - 11\\lambda + 14.\n$$"), std::string::npos)
      << md;
  EXPECT_NE(md.find("![](images/0_0.jpg)"), std::string::npos) << md;
  EXPECT_NE(md.find("![](images/1_0.jpg)"), std::string::npos) << md;
  EXPECT_NE(md.find("\n\n<--- Page Split --->\n\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("<|ref|>"), std::string::npos) << md;
  EXPECT_EQ(md.find("\\["), std::string::npos) << md;

  // output_det.md: every block tagged with 0–999 boxes of the page, which is the image sent,
  // so the model's own boxes come back (give or take rounding); a tag keeps both its boxes.
  const std::string det = content(id, "/markdown_det");
  const std::regex tag(R"(<\|ref\|>([a-z_]+)<\|/ref\|><\|det\|>\[(\[[0-9, \[\]]+\])\]<\|/det\|>)");
  const std::regex box(R"(\[(\d+), (\d+), (\d+), (\d+)\])");
  std::set<std::string> labels;
  int tags = 0;
  bool two_boxes = false;
  for (std::sregex_iterator it(det.begin(), det.end(), tag), end; it != end; ++it) {
    ++tags;
    labels.insert((*it)[1]);
    const std::string boxes = (*it)[2];
    int n = 0;
    for (std::sregex_iterator b(boxes.begin(), boxes.end(), box); b != end; ++b, ++n) {
      for (int g = 1; g <= 4; ++g) EXPECT_LE(std::stoi((*b)[g]), 999) << boxes;
      if ((*it)[1] == "title") {
        const int want[] = {150, 62, 850, 104};
        for (int g = 1; g <= 4; ++g) EXPECT_NEAR(std::stoi((*b)[g]), want[g - 1], 2) << boxes;
      }
    }
    two_boxes = two_boxes || n == 2;
  }
  EXPECT_GE(tags, 2 * 14) << det;
  for (const char* label : {"title", "sub_title", "text", "table", "equation", "image", "header"}) {
    EXPECT_TRUE(labels.contains(label)) << label << "\n" << det;
  }
  EXPECT_TRUE(two_boxes) << det;

  // layout.pdf: served, a page per page.
  auto pdf = client_->Get("/result/" + id + "/layout_pdf");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 200);
  ASSERT_TRUE(pdf->body.starts_with("%PDF"));
  write_bytes(tmp_ / "layout.pdf", pdf->body);
  auto layout_pages = probe_pdf(tmp_ / "layout.pdf");
  ASSERT_TRUE(layout_pages) << layout_pages.error().message;
  EXPECT_EQ(*layout_pages, pages);

  // images/: the image block cut from each page's render.
  const json images = json_of(client_->Get("/result/" + id + "/images"));
  EXPECT_EQ(images["images"], json::array({"0_0.jpg", "1_0.jpg"})) << images.dump();
  auto jpg = client_->Get("/result/" + id + "/images/0_0.jpg");
  ASSERT_TRUE(jpg);
  EXPECT_EQ(jpg->status, 200);
  int w = 0, h = 0;
  EXPECT_TRUE(decodes_as_jpeg(jpg->body, &w, &h));
  // The box is 41 % of the page's width and 27 % of its height.
  EXPECT_NEAR(static_cast<double>(w) / asked[0].image_width, 0.41, 0.03);
  EXPECT_NEAR(static_cast<double>(h) / asked[0].image_height, 0.27, 0.03);

  // The page records: method, model, tokens and finish reason (not served by the API).
  for (const char* tail : {"/pages", "/pages.json", "/pages_json"}) {
    auto r = client_->Get("/result/" + id + tail);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << tail;
  }
  for (int p = 0; p < pages; ++p) {
    const json page = page_record(id, p);
    ASSERT_TRUE(page.is_object()) << "page " << p;
    EXPECT_EQ(page["method"], "vlm") << page.dump();
    EXPECT_EQ(page["error"], nullptr) << page.dump();
    const json& v = page["vlm"];
    ASSERT_TRUE(v.is_object()) << page.dump();
    EXPECT_EQ(v["model"], kModel);
    EXPECT_EQ(v["prompt_tokens"], 900);
    EXPECT_GT(v["completion_tokens"].get<int>(), 100);
    EXPECT_EQ(v["finish_reason"], "stop");
    EXPECT_EQ(v["retries"], 0);
    EXPECT_EQ(v["fallback"], nullptr);
    EXPECT_EQ(v["image_size"], (json{asked[0].image_width, asked[0].image_height}));
  }
}

// ---- answers cut in a repetition loop ----

TEST_F(VlmE2e, ALoopIsAskedAgainHotterThenFallsBackToTesseractWithAWarning) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_CONCURRENCY", "1"}}));  // fallback: tesseract

  // One loop, then a good answer: the model's reading, on the second try, at 0.2.
  vlm.push_reply(FakeReply::loop());
  const std::string once = submit(*client_, scanned_document(1));
  ASSERT_EQ(finish(once)["status"], "completed") << server_log();
  const auto asked = vlm.completions();
  ASSERT_EQ(asked.size(), 2u);
  ASSERT_TRUE(asked[0].temperature && asked[1].temperature);
  EXPECT_EQ(*asked[0].temperature, 0.0);
  EXPECT_DOUBLE_EQ(*asked[1].temperature, 0.2);
  const json read = page_record(once, 0);
  EXPECT_EQ(read["method"], "vlm") << read.dump();
  EXPECT_EQ(read["vlm"]["retries"], 1) << read.dump();
  EXPECT_EQ(read["vlm"]["finish_reason"], "stop") << read.dump();
  EXPECT_EQ(read["vlm"]["fallback"], nullptr) << read.dump();
  EXPECT_NE(content(once, "/markdown").find("A page read by the fake model server"),
            std::string::npos);

  // Two loops: Tesseract reads the page, and the page says why.
  vlm.push_reply(FakeReply::loop());
  vlm.push_reply(FakeReply::loop());
  const std::string twice = submit(*client_, scanned_document(1));
  const json done = finish(twice);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(vlm.completion_count(), 4u);
  const json fell = page_record(twice, 0);
  EXPECT_EQ(fell["method"], "ocr") << fell.dump();
  ASSERT_TRUE(fell["vlm"].is_object()) << fell.dump();
  ASSERT_TRUE(fell["vlm"]["fallback"].is_string()) << fell.dump();
  EXPECT_NE(fell["vlm"]["fallback"].get<std::string>().find("repetition loop"), std::string::npos)
      << fell.dump();
  const std::string warnings = fell["warnings"].dump();
  EXPECT_NE(warnings.find("repetition loop"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("embedded engine"), std::string::npos) << warnings;
  // Tesseract's reading of the scan, not the loop.
  const std::string md = content(twice, "/markdown");
  EXPECT_NE(md.find("Synthetic Papers"), std::string::npos) << md;
  EXPECT_EQ(md.find("The same sentence again"), std::string::npos) << md;
}

TEST_F(VlmE2e, TwoLoopsWithFallbackFailFailThePageNamingTheLoop) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.set_default_reply(FakeReply::loop());
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_FALLBACK", "fail"}}));
  const std::string id = submit(*client_, scanned_document(1));
  const json done = finish(id);
  ASSERT_EQ(done["status"], "failed") << done.dump() << server_log();
  const std::string why = done["error_message"];
  EXPECT_NE(why.find("page 1"), std::string::npos) << why;
  EXPECT_NE(why.find("repetition loop"), std::string::npos) << why;
  EXPECT_EQ(vlm.completion_count(), 2u);
  const json page = page_record(id, 0);
  EXPECT_EQ(page["method"], "failed") << page.dump();
}

// ---- a busy or failing server ----

TEST_F(VlmE2e, A429ThenA500ThenAnAnswerIsReadByTheModel) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.push_reply(FakeReply::error(429));
  vlm.push_reply(FakeReply::error(500));
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_FALLBACK", "tesseract"}}));
  const std::string id = submit(*client_, scanned_document(1));
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(vlm.completion_count(), 3u);
  const json page = page_record(id, 0);
  EXPECT_EQ(page["method"], "vlm") << page.dump();
  EXPECT_EQ(page["vlm"]["retries"], 2) << page.dump();
  EXPECT_EQ(page["vlm"]["fallback"], nullptr) << page.dump();
  EXPECT_EQ(page["warnings"], json::array()) << page.dump();
}

TEST_F(VlmE2e, AContextTooLongIsAskedAgainWithASmallerImage) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.push_reply(FakeReply::context_too_long());
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_FALLBACK", "fail"}}));
  const std::string id = submit(*client_, scanned_document(1));
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  const auto asked = vlm.completions();
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_LT(asked[1].image_width, asked[0].image_width);
  EXPECT_LT(asked[1].image_height, asked[0].image_height);
  EXPECT_LT(asked[1].image_bytes, asked[0].image_bytes);
  const json page = page_record(id, 0);
  EXPECT_EQ(page["method"], "vlm") << page.dump();
  EXPECT_EQ(page["vlm"]["image_size"], (json{asked[1].image_width, asked[1].image_height}));
}

TEST_F(VlmE2e, ATimeoutIsAskedOnceMoreAndTwoFailThePageNamingTheTimeout) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_TIMEOUT_SECONDS", "2"},
                             {"DOCMILL_VLM_FALLBACK", "fail"},
                             {"DOCMILL_VLM_CONCURRENCY", "1"}}));
  const auto slow = [] { return FakeReply::answer(default_deepseek_answer()).after(seconds(5)); };

  vlm.push_reply(slow());
  const std::string once = submit(*client_, scanned_document(1));
  const json read = finish(once);
  ASSERT_EQ(read["status"], "completed") << read.dump() << server_log();
  EXPECT_EQ(vlm.completion_count(), 2u);
  EXPECT_EQ(page_record(once, 0)["method"], "vlm");
  EXPECT_EQ(page_record(once, 0)["vlm"]["retries"], 1);

  vlm.push_reply(slow());
  vlm.push_reply(slow());
  const std::string twice = submit(*client_, scanned_document(1));
  const json failed = finish(twice);
  ASSERT_EQ(failed["status"], "failed") << failed.dump() << server_log();
  const std::string why = failed["error_message"];
  EXPECT_NE(why.find("page 1"), std::string::npos) << why;
  EXPECT_NE(why.find("no answer within 2 s"), std::string::npos) << why;
  EXPECT_NE(why.find("DOCMILL_VLM_TIMEOUT_SECONDS"), std::string::npos) << why;
  EXPECT_EQ(vlm.completion_count(), 4u);
}

// ---- concurrency ----

// Issue 8, point 5: DOCMILL_VLM_CONCURRENCY requests in flight across all jobs, whatever
// DOCMILL_WORKERS is: several small uploads keep them all busy, and never more.
TEST_F(VlmE2e, SmallUploadsTogetherKeepTheConfiguredRequestsInFlightAndNoMore) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.set_default_reply(FakeReply::answer(default_deepseek_answer()).after(seconds(2)));
  start_server(vlm_env(vlm, {{"DOCMILL_WORKERS", "2"}, {"DOCMILL_VLM_CONCURRENCY", "5"}}));
  const std::string pdf = scanned_document(2);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(submit(*client_, pdf));
  for (const auto& id : ids) {
    const json done = finish(id);
    EXPECT_EQ(done["status"], "completed") << done.dump() << server_log();
  }
  EXPECT_EQ(vlm.completion_count(), 10u);
  EXPECT_EQ(vlm.peak_in_flight(), 5);
}

// ---- the model server down at start, then up ----

TEST_F(VlmE2e, TheServiceStartsWithTheModelDownAndItsJobsWaitUntilItComesUp) {
  const int port = free_loopback_port();
  ASSERT_GT(port, 0);
  FakeVlmOptions options;
  options.port = port;
  FakeVlmServer vlm(options);  // not started yet
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_FALLBACK", "fail"}}));
  EXPECT_FALSE(model_loaded());

  const std::string id = submit(*client_, scanned_document(1));
  // The engine's own retries (about half a minute of backoff on a refused connection) end
  // with the page put off, back in the queue: not failed, not counted, not recorded.
  constexpr std::string_view kPutOff = "put off for";
  const auto until = std::chrono::steady_clock::now() + seconds(75);
  while (server_log().find(kPutOff) == std::string::npos &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(200));
  }
  ASSERT_NE(server_log().find(kPutOff), std::string::npos) << server_log();
  const json waiting = json_of(client_->Get("/result/" + id + "/status"));
  EXPECT_FALSE(finished(waiting)) << waiting.dump();
  EXPECT_EQ(waiting["processed_pages"], 0) << waiting.dump();
  EXPECT_FALSE(page_record(id, 0).is_object());
  EXPECT_FALSE(model_loaded());

  ASSERT_TRUE(vlm.start());
  EXPECT_TRUE(wait_model_loaded(true, seconds(15))) << server_log();
  const json done = finish(id, seconds(60));
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_NE(content(id, "/markdown").find("A page read by the fake model server"),
            std::string::npos);
  EXPECT_EQ(page_record(id, 0)["method"], "vlm");
}

// ---- kill -9 in the middle of a job ----

TEST_F(VlmE2e, AfterKill9TheJobFinishesAndNoRecordedPageIsAskedAgain) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.set_default_reply(FakeReply::answer(default_deepseek_answer()).after(seconds(1)));
  const auto env = vlm_env(vlm, {{"DOCMILL_LEASE_SECONDS", "2"}});
  const int pages = 6;
  start_server(env);
  const std::string id = submit(*client_, sized_pages_document(pages));

  // Two pages recorded and the next two asked: both threads wait for answers, so no page is
  // between its answer and its record when the server dies.
  const json s = poll_status(
      *client_, id, [](const json& j) { return j["processed_pages"].get<int>() >= 2; },
      seconds(30));
  ASSERT_GE(s["processed_pages"].get<int>(), 2) << s.dump() << server_log();
  const auto until = std::chrono::steady_clock::now() + seconds(10);
  while (vlm.in_flight() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  kill_server();

  std::set<int> recorded;
  for (int p = 0; p < pages; ++p) {
    if (std::filesystem::exists(job_dir(id) / "pages" / (std::to_string(p) + ".json"))) {
      recorded.insert(p);
    }
  }
  ASSERT_GE(recorded.size(), 2u);
  ASSERT_LT(recorded.size(), static_cast<size_t>(pages)) << "the job ended before the kill";
  // The killed server's workers die with it; what they had sent has arrived by now.
  std::this_thread::sleep_for(milliseconds(300));
  const auto restarted = std::chrono::steady_clock::now();

  start_server(env);
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["processed_pages"], pages);

  std::map<int, int> asked_after;  // page -> requests after the restart
  for (const auto& r : vlm.completions()) {
    ASSERT_GE(sized_page_of(r), 0) << r.image_width << "x" << r.image_height;
    ASSERT_LT(sized_page_of(r), pages) << r.image_width << "x" << r.image_height;
    if (r.arrived > restarted) ++asked_after[sized_page_of(r)];
  }
  for (int p = 0; p < pages; ++p) {
    if (recorded.contains(p)) {
      EXPECT_FALSE(asked_after.contains(p))
          << "page " << p + 1 << " was recorded, then asked again";
    } else {
      EXPECT_EQ(asked_after[p], 1) << "page " << p + 1;
    }
  }
  for (int p = 0; p < pages; ++p) EXPECT_EQ(page_record(id, p)["method"], "vlm") << p;
}

// ---- DELETE aborts the requests in flight ----

TEST_F(VlmE2e, DeleteAbortsTheRequestsInFlight) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.set_default_reply(FakeReply::answer(default_deepseek_answer()).after(seconds(30)));
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_CONCURRENCY", "4"}}));
  const std::string id = submit(*client_, scanned_document(4));

  const auto until = std::chrono::steady_clock::now() + seconds(30);
  while (vlm.in_flight() < 4 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_EQ(vlm.in_flight(), 4) << server_log();
  // The fake server cannot see its client hang up (it sleeps out its delay); the kernel can.
  ASSERT_GE(established_on_port(vlm.port()), 4);

  auto del = client_->Delete("/result/" + id);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200) << del->body;

  int open = established_on_port(vlm.port());
  const auto aborted_by = std::chrono::steady_clock::now() + seconds(5);
  while (open > 0 && std::chrono::steady_clock::now() < aborted_by) {
    std::this_thread::sleep_for(milliseconds(20));
    open = established_on_port(vlm.port());
  }
  EXPECT_EQ(open, 0) << "requests still open after DELETE\n" << server_log();
  EXPECT_EQ(vlm.completion_count(), 4u);
  EXPECT_FALSE(std::filesystem::exists(job_dir(id)));
  EXPECT_TRUE(server_->running());
}

// Issue 8, point 4: SIGTERM, like DELETE, aborts the requests in flight within a second;
// their pages go back to the queue and the next start reads them.
TEST_F(VlmE2e, SigtermAbortsTheRequestsInFlightAndTheRestartReadsTheirPages) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.set_default_reply(FakeReply::answer(default_deepseek_answer()).after(seconds(30)));
  const auto env = vlm_env(vlm);
  start_server(env);
  const std::string id = submit(*client_, scanned_document(2));
  const auto until = std::chrono::steady_clock::now() + seconds(30);
  while (vlm.in_flight() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_EQ(vlm.in_flight(), 2) << server_log();

  server_->send_signal(SIGTERM);
  // Well short of the 30 s shutdown grace and of the 30 s the answers take.
  const auto code = server_->wait_exit(seconds(10));
  ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM, with model requests in "
                                   "flight\n"
                                << server_log();
  EXPECT_EQ(*code, 0) << server_log();
  EXPECT_EQ(established_on_port(vlm.port()), 0);

  vlm.set_default_reply(FakeReply::answer(default_deepseek_answer()));
  start_server(env);
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(page_record(id, 0)["method"], "vlm");
  EXPECT_EQ(page_record(id, 1)["method"], "vlm");
}

// ---- auth to the model server ----

TEST_F(VlmE2e, TheApiKeyIsSentAsBearerAndNeverShown) {
  FakeVlmOptions options;
  options.api_key = "sekret";
  FakeVlmServer vlm(options);
  ASSERT_TRUE(vlm.start());

  start_server(vlm_env(vlm, {{"DOCMILL_VLM_API_KEY", "sekret"}}));
  EXPECT_TRUE(wait_model_loaded(true, seconds(10)));
  const std::string id = submit(*client_, scanned_document(1));
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  ASSERT_EQ(vlm.completion_count(), 1u);
  EXPECT_EQ(vlm.completions()[0].authorization, "Bearer sekret");
  EXPECT_EQ(page_record(id, 0)["method"], "vlm");
  kill_server();

  const std::string wrong = "wrong-key-4711";
  start_server(vlm_env(vlm, {{"DOCMILL_VLM_API_KEY", wrong}, {"DOCMILL_VLM_FALLBACK", "fail"}}));
  const std::string refused = submit(*client_, scanned_document(1));
  const json failed = finish(refused);
  ASSERT_EQ(failed["status"], "failed") << failed.dump() << server_log();
  EXPECT_FALSE(model_loaded());
  const std::string why = failed["error_message"];
  EXPECT_NE(why.find("page 1"), std::string::npos) << why;
  EXPECT_NE(why.find("API key"), std::string::npos) << why;
  EXPECT_EQ(why.find(wrong), std::string::npos) << why;
  EXPECT_EQ(page_record(refused, 0).dump().find(wrong), std::string::npos);
  // It was sent, and refused: what was refused is named, never shown.
  bool sent = false;
  for (const auto& r : vlm.requests()) sent = sent || r.authorization == "Bearer " + wrong;
  EXPECT_TRUE(sent);
  const std::string log = server_log();
  EXPECT_EQ(log.find(wrong), std::string::npos) << log;
  EXPECT_EQ(log.find("sekret"), std::string::npos) << log;
}

// ---- the engine an upload asks for ----

TEST_F(VlmE2e, AnUploadChoosesTheModelWhereTheServiceDefaultsToTesseract) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  start_server(vlm_env(vlm, {{"DOCMILL_ENGINE", "tesseract"}}));

  const std::string by_model = submit(*client_, content_document(), {{"engine", "vlm"}});
  ASSERT_EQ(finish(by_model)["status"], "completed") << server_log();
  EXPECT_EQ(vlm.completion_count(), 2u);
  EXPECT_EQ(page_record(by_model, 0)["method"], "vlm");
  EXPECT_EQ(page_record(by_model, 1)["method"], "vlm");

  const std::string by_default = submit(*client_, content_document());
  ASSERT_EQ(finish(by_default)["status"], "completed") << server_log();
  EXPECT_EQ(vlm.completion_count(), 2u);
  for (int p = 0; p < 2; ++p) {
    const json page = page_record(by_default, p);
    EXPECT_EQ(page["method"], "text_layer") << page.dump();
    EXPECT_FALSE(page.contains("vlm")) << page.dump();
  }
}

TEST_F(VlmE2e, WithoutAModelServerEngineVlmIsRefusedNamingTheField) {
  start_server();
  auto res = upload_pdf(*client_, content_document(), "document.pdf", {{"engine", "vlm"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(json_of(res).value("detail", "").find("engine"), std::string::npos) << res->body;
  EXPECT_EQ(leftover_files(), 0);
}

// ---- a born-digital page: the layer's text, the model's table ----

// A page with a text layer: a title, two paragraphs and a table drawn as text, at known
// places (points, baselines from the top).
struct DigitalPage {
  static constexpr std::string_view kTitle = "Quarterly Report on Harbour Traffic";
  static constexpr std::string_view kFirst =
      "Cargo ships arrived at the northern quay on most mornings, while ferries kept to their "
      "usual timetable despite the autumn storms.";
  static constexpr std::string_view kSecond =
      "Harbour fees rose by a small amount this year and the pilots asked for a new radio mast.";
  static PageSpec spec() {
    PageSpec p;
    p.runs = {{72, 100, 20, true, std::string(kTitle)},
              {72, 150, 11, false, "Cargo ships arrived at the northern quay on"},
              {72, 166, 11, false, "most mornings, while ferries kept to their"},
              {72, 182, 11, false, "usual timetable despite the autumn storms."},
              {72, 240, 11, false, "Vessel"},
              {250, 240, 11, false, "Arrivals"},
              {72, 258, 11, false, "Tankers"},
              {250, 258, 11, false, "120"},
              {72, 276, 11, false, "Ferries"},
              {250, 276, 11, false, "415"},
              {72, 330, 11, false, "Harbour fees rose by a small amount this year"},
              {72, 346, 11, false, "and the pilots asked for a new radio mast."}};
    return p;
  }
};

// The model's answer for DigitalPage: its boxes around each part (points to 0–999 of the
// A4 page), its text misspelt where the text layer has the right characters.
std::string digital_page_answer() {
  const auto tag = [](const char* label, float x0, float y0, float x1, float y1) {
    const auto nx = [](float x) { return static_cast<int>(x / kA4Width * 999); };
    const auto ny = [](float y) { return static_cast<int>(y / kA4Height * 999); };
    return fmt::format("<|ref|>{}<|/ref|><|det|>[[{}, {}, {}, {}]]<|/det|>\n", label, nx(x0),
                       ny(y0), nx(x1), ny(y1));
  };
  return tag("title", 66, 76, 540, 106) + "# Quartely Reprot on Harbor Trafic\n\n" +
         tag("text", 66, 138, 540, 188) +
         "Cargo shlps arived at the nothern quay on most mornings, whlle feries kept to thier "
         "usual timetable despite the autum storms.\n\n" +
         tag("table", 66, 226, 400, 282) +
         "<table><tr><td>Vessel</td><td>Arrivals</td></tr><tr><td>Tankers</td><td>120</td></tr>"
         "<tr><td>Ferries</td><td>415</td></tr></table>\n\n" +
         tag("text", 66, 318, 540, 352) +
         "Harbur fees rose by a smal amount this yeer and the pilots askd for a new radoi mast.\n";
}

TEST_F(VlmE2e, ABornDigitalPageKeepsTheTextLayersWordsAndTheModelsTable) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  vlm.set_default_reply(FakeReply::answer(digital_page_answer()));
  start_server(vlm_env(vlm));
  const std::string id = submit(*client_, make_pdf({DigitalPage::spec()}));
  const json done = finish(id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(vlm.completion_count(), 1u);

  const std::string md = content(id, "/markdown");
  EXPECT_NE(md.find("# " + std::string(DigitalPage::kTitle)), std::string::npos) << md;
  EXPECT_NE(md.find(DigitalPage::kFirst), std::string::npos) << md;
  EXPECT_NE(md.find(DigitalPage::kSecond), std::string::npos) << md;
  EXPECT_NE(md.find("| Vessel | Arrivals |\n| --- | --- |\n| Tankers | 120 |\n| Ferries | 415 |"),
            std::string::npos)
      << md;
  for (const char* misspelt : {"Reprot", "shlps", "Harbur", "radoi"}) {
    EXPECT_EQ(md.find(misspelt), std::string::npos) << misspelt << "\n" << md;
  }
  // In the model's order, with its labels.
  EXPECT_LT(md.find(DigitalPage::kTitle), md.find(DigitalPage::kFirst));
  EXPECT_LT(md.find(DigitalPage::kFirst), md.find("| Vessel"));
  EXPECT_LT(md.find("| Vessel"), md.find(DigitalPage::kSecond));
  const json page = page_record(id, 0);
  EXPECT_EQ(page["method"], "vlm") << page.dump();
  ASSERT_EQ(page["blocks"].size(), 4u) << page.dump();
  EXPECT_EQ(page["blocks"][2]["label"], "table");
}

}  // namespace
}  // namespace docmill::testing
