#pragma once
// The end of a fake server run as a program (tests/tools): SIGTERM, SIGINT or, when watched,
// the end of its stdin. Its stdin is watched only when it is a pipe, a socket or a terminal: a
// program started in the background of a script reads /dev/null, whose end would stop it at
// once.
namespace docmill::testing {

class ProgramEnd {
 public:
  // Blocks SIGTERM and SIGINT for every thread started after it, so only its signalfd sees them:
  // make it before the server starts its threads.
  ProgramEnd();
  ~ProgramEnd();
  ProgramEnd(const ProgramEnd&) = delete;
  ProgramEnd& operator=(const ProgramEnd&) = delete;

  bool ok() const { return signals_ >= 0; }
  // Blocks until a signal arrives or, when `watch_stdin` and stdin can end, stdin ends.
  void wait(bool watch_stdin) const;

 private:
  int signals_ = -1;
};

}  // namespace docmill::testing
