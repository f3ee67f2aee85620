#pragma once

namespace rollup {

// A TCP port on 127.0.0.1 that nothing is bound to right now, or 0 when 200 random tries found
// none. Chosen in 20000 .. 31999, below the kernel's ephemeral range (32768+), so that a client
// connection's source port cannot take it before a server binds it. Another process may still
// bind it first: a caller that starts a server retries with a new port when the start fails.
// Thread-safe. (scripts/pg.sh keeps a shell copy of the same rule: the test scripts start their
// servers without the console binary.)
int freeLoopbackPort();

} // namespace rollup
