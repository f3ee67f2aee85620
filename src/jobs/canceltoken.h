#pragma once

#include <atomic>
#include <memory>
#include <mutex>

namespace rollup {

class StatementCanceller;

// Shared between the thread that asks for cancellation (GUI, signal handler thread) and the
// worker. cancel() sets the flag and cancels the worker's statement in flight on the server.
// All members are thread-safe.
class CancelToken
{
public:
    void cancel();
    bool isCancelled() const { return m_cancelled.load(); }
    // Called by the worker when its connection is open / about to close.
    void attach(std::shared_ptr<StatementCanceller> canceller);
    void detach();

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::shared_ptr<StatementCanceller> m_canceller;
};

} // namespace rollup
