#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

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
    // Called by a worker when its connection is open / about to close. Several workers may
    // be attached at once; cancel() reaches all of them.
    void attach(std::shared_ptr<StatementCanceller> canceller);
    void detach(const std::shared_ptr<StatementCanceller> &canceller);
    void detach(); // all

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::vector<std::shared_ptr<StatementCanceller>> m_cancellers;
};

} // namespace rollup
