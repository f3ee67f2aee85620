#pragma once

#include <functional>

namespace rollup {

// Turns SIGINT / SIGTERM / SIGHUP into a callback on a dedicated thread (sigwait), so Ctrl-C
// cancels work cleanly and lets destructors (e.g. the demo server's stop) run.
// install() must be called in main() before any other thread exists: it blocks those signals
// for every thread created afterwards. The callback runs on the watcher thread; a second
// signal while the first is being handled ends the process at once with status 130.
class SignalWatcher
{
public:
    static void install(std::function<void()> onSignal);
};

} // namespace rollup
