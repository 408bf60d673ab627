#pragma once
// Which page a batch thread takes next. A thread stays on one document while it has pages, and
// takes a document nobody has started before helping with one another thread is on: each
// thread opens its own handle on a document (MuPDF's and Poppler's parses, the fonts loaded),
// so with many small documents, one thread per document parses each once instead of once per
// thread. With fewer documents than threads, the pages of the largest are shared out so that
// no core idles.
#include <optional>
#include <vector>

namespace docmill {

class DocumentPages {
 public:
  struct Page {
    int document;
    int slot;  // index of the page among the document's selected pages
  };

  // `page_counts[d]`: the number of selected pages of document d.
  explicit DocumentPages(std::vector<int> page_counts);

  // The next page for a thread whose last page was of `current` (-1: none yet); nullopt when
  // every page has been handed out. Not thread-safe: the batch calls it under its lock.
  std::optional<Page> next(int current);

 private:
  std::optional<Page> take(int document);

  std::vector<int> counts_;
  std::vector<int> handed_;  // pages of each document handed out so far
  int unstarted_ = 0;        // documents before this one have been started
};

}  // namespace docmill
