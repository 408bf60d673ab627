#pragma once
// The machine's TCP connections as the kernel lists them (/proc/net/tcp and tcp6), for tests
// that must see from outside both ends whether a client closed its connections: a fake server
// that sleeps before it answers does not notice that its client hung up, but the kernel does.
namespace docmill::testing {

// Sockets whose local port is `port` and whose state is ESTABLISHED: the server's ends of the
// connections accepted on that port that neither side has closed. A client's close moves its
// peer's end to CLOSE_WAIT, out of this count. -1 when the kernel's lists cannot be read.
int established_on_port(int port);

}  // namespace docmill::testing
