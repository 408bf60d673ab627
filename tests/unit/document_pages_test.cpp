#include "pipeline/document_pages.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

namespace docmill {
namespace {

using Page = DocumentPages::Page;

// Drains `pages` for `threads` threads taking turns; per thread, the documents it touched.
std::vector<std::set<int>> drain(DocumentPages& pages, int threads,
                                 std::set<std::pair<int, int>>& handed) {
  std::vector<int> current(threads, -1);
  std::vector<std::set<int>> touched(threads);
  bool any = true;
  while (any) {
    any = false;
    for (int t = 0; t < threads; ++t) {
      auto p = pages.next(current[t]);
      if (!p) continue;
      any = true;
      EXPECT_TRUE(handed.insert({p->document, p->slot}).second) << "page handed out twice";
      current[t] = p->document;
      touched[t].insert(p->document);
    }
  }
  return touched;
}

TEST(DocumentPages, EveryPageIsHandedOutOnceAndInOrderWithinADocument) {
  DocumentPages pages({3, 0, 5, 1});
  std::set<std::pair<int, int>> handed;
  std::map<int, int> last_slot;
  std::vector<int> current(2, -1);
  for (int turn = 0;; ++turn) {
    auto p = pages.next(current[turn % 2]);
    if (!p) break;
    EXPECT_TRUE(handed.insert({p->document, p->slot}).second);
    EXPECT_GT(p->slot, last_slot.contains(p->document) ? last_slot[p->document] : -1);
    last_slot[p->document] = p->slot;
    current[turn % 2] = p->document;
  }
  EXPECT_EQ(handed.size(), 9u);
  EXPECT_FALSE(last_slot.contains(1)) << "a document without pages hands out none";
  EXPECT_FALSE(pages.next(-1));
}

TEST(DocumentPages, ManyDocumentsAreEachReadByOneThread) {
  DocumentPages pages({4, 4, 4, 4, 4, 4});
  std::set<std::pair<int, int>> handed;
  const auto touched = drain(pages, 2, handed);
  EXPECT_EQ(handed.size(), 24u);
  // Threads in step: each takes three whole documents, none shared.
  for (int d = 0; d < 6; ++d) {
    EXPECT_NE(touched[0].contains(d), touched[1].contains(d)) << "document " << d;
  }
}

TEST(DocumentPages, OneDocumentIsSharedByEveryThread) {
  DocumentPages pages({10});
  std::set<std::pair<int, int>> handed;
  const auto touched = drain(pages, 3, handed);
  EXPECT_EQ(handed.size(), 10u);
  for (const auto& t : touched) EXPECT_EQ(t, std::set<int>{0}) << "no thread idles";
}

TEST(DocumentPages, AThreadDoneEarlyHelpsWithTheDocumentWithMostPagesLeft) {
  DocumentPages pages({1, 6, 3});
  EXPECT_EQ(pages.next(-1)->document, 0);
  EXPECT_EQ(pages.next(-1)->document, 1);
  EXPECT_EQ(pages.next(0)->document, 2);  // document 0 is done: the unstarted one first
  auto help = pages.next(0);              // nothing unstarted: 1 has 5 left, 2 has 2
  ASSERT_TRUE(help);
  EXPECT_EQ(help->document, 1);
  EXPECT_EQ(help->slot, 1);
}

}  // namespace
}  // namespace docmill
