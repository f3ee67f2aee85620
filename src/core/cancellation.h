#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace rollup {

// Something a cancel can interrupt from another thread: a database connection's statement in
// flight (db's Interruptible sends libpq's PQcancel). cancel() is thread-safe.
class Interruptible
{
public:
    virtual ~Interruptible() = default;
    virtual void cancel() = 0;
};

// The cancel of one piece of long work, shared by whoever may ask for it (the GUI, the CLI's
// Ctrl-C handler) and the threads doing the work. Every database connection opened with the
// token attaches itself for its lifetime, so a cancel reaches the statement in flight on each of
// them, on the server. All members are thread-safe.
class CancelToken
{
public:
    // Sets the flag, then interrupts everything attached. A server-side cancel opens a short
    // connection of its own, so this can take a network round trip per attached connection.
    void cancel();
    // Sets the flag at once and interrupts from a pool thread: never waits for the network (the
    // GUI thread's form).
    void cancelInBackground();
    bool isCancelled() const { return m_cancelled.load(); }

    // Returns false (and changes nothing) when `canceller` is attached already.
    bool attach(std::shared_ptr<Interruptible> canceller);
    void detach(const std::shared_ptr<Interruptible> &canceller);

    // Attaches for a scope (e.g. a connection opened without the token that a job borrows);
    // detaches on destruction only what it attached.
    class Scope
    {
    public:
        Scope(CancelToken &token, std::shared_ptr<Interruptible> canceller);
        ~Scope();
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        CancelToken &m_token;
        std::shared_ptr<Interruptible> m_canceller;
        bool m_attached;
    };

private:
    void cancelStatements();
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::vector<std::shared_ptr<Interruptible>> m_cancellers;
};

} // namespace rollup
