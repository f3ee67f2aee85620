#include "cli/signalwatcher.h"

#include <atomic>
#include <csignal>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace rollup {

void SignalWatcher::install(std::function<void()> onSignal)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set, onSignal = std::move(onSignal)]() {
        static std::atomic<int> received{0};
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0)
                continue;
            if (received.fetch_add(1) > 0)
                ::_exit(130);
            onSignal();
        }
    }).detach();
}

} // namespace rollup
