#pragma once

#include "core/cancellation.h"
#include "core/connectionsettings.h"

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>
#include <type_traits>

class QThreadPool;

namespace rollup {

class Connection;

// The one way the console runs long work (see docs/architecture.md, "Long work").
//
// A job is a function run on the jobs thread pool (QtConcurrent::run with a QPromise). It gets a
// JobContext: the connection settings, connections whose statements its cancel reaches on the
// server, progress, pause points and a way to fan out over several connections. It hands back
// plain values through its QFuture — one result, or a stream of them (progress events, then the
// final one) — and never throws: failures are part of its result. Only the GUI thread touches
// widgets; watchers (QFutureWatcher) deliver results and progress there.

// What a job's code sees. Used in the job's thread and in the threads inParallel() starts; the
// functions are thread-safe. Jobs::start makes one bound to the job's promise; tests and
// synchronous callers make one directly (progress then goes nowhere).
class JobContext
{
public:
    explicit JobContext(ConnectionSettings settings, std::shared_ptr<CancelToken> cancel = {});

    const ConnectionSettings &settings() const { return m_settings; }
    const std::shared_ptr<CancelToken> &cancelToken() const { return m_cancel; }

    // Opens a connection in the calling thread with the job's settings; the job's cancel
    // reaches its statements. Close it in the same thread. Throws DbError.
    std::unique_ptr<Connection> connect() const;
    // The context for reads a streaming replica may serve (planning, verify): the replica's
    // settings (ConnectionSettings::replica) when the settings name one, this context's
    // otherwise; the same cancel token and progress hooks. Writes and the advisory lock always
    // use this context. Throws DbError when the replica URL is malformed.
    JobContext forReads() const;
    bool isCancelled() const { return m_cancel->isCancelled(); }

    // Progress for the job's watchers (QFutureWatcher::progressValueChanged / progressTextChanged).
    void setProgressRange(int minimum, int maximum) const;
    void setProgress(int value, const QString &text = {}) const;
    // Blocks while the job is paused (Job::setPaused); returns at once otherwise. Call it only
    // between units of work, with no transaction open.
    void suspendIfRequested() const;

    // Runs work(connection, worker) for worker = 0 .. workers-1 at once, each on a connection of
    // its own opened and closed in its thread: worker 0 in the calling thread on `first` when
    // given (else on a new connection), the others on pool threads. Returns when every worker
    // has returned; then rethrows the first exception a worker threw (connection failures
    // included). The work itself decides how workers share and stop (a failure does not stop
    // the others unless the work checks for it).
    // `onFailure` (optional) runs in the failing worker's thread as soon as one throws, so the
    // work can tell the other workers to stop.
    void inParallel(int workers, const std::function<void(Connection &connection, int worker)> &work, Connection *first = nullptr,
                    const std::function<void()> &onFailure = {}) const;
    // Works through the consecutive parts of `ids` (at most `partSize` ids each) on up to
    // `workers` connections (inParallel, `first` among them). Each connection calls
    // forConnection(connection) once, in its thread, for what handles its parts (which may keep
    // state for that connection, such as prepared statements), then takes the next part as soon
    // as it ends its own, until none is left, the job is cancelled or one of them threw (rethrown
    // here, as by inParallel). The handlers run in several threads at once and guard what they
    // share.
    using PartHandler = std::function<void(const QList<qint64> &part)>;
    void inParts(const QList<qint64> &ids, qsizetype partSize, int workers,
                 const std::function<PartHandler(Connection &connection)> &forConnection, Connection *first = nullptr) const;

    // Binding to a promise; set by Jobs::start.
    struct Hooks
    {
        std::function<void(int, int)> progressRange;
        std::function<void(int, const QString &)> progress;
        std::function<void()> suspendIfRequested;
    };
    void setHooks(Hooks hooks) { m_hooks = std::move(hooks); }

private:
    ConnectionSettings m_settings;
    std::shared_ptr<CancelToken> m_cancel;
    Hooks m_hooks;
};

// A started job, held by whoever started it (GUI thread, CLI main thread).
template <typename T> struct Job
{
    QFuture<T> future;
    std::shared_ptr<CancelToken> cancelToken;

    bool isValid() const { return cancelToken != nullptr; }
    bool isRunning() const { return isValid() && !future.isFinished(); }
    // Returns at once: the job sees isCancelled(), and its statements in flight are cancelled on
    // the server from a pool thread. The job still delivers its result (what was done, what was
    // not). Never QFuture::cancel(): a cancelled QFuture drops the results reported after it.
    void cancel() const
    {
        if (cancelToken)
            cancelToken->cancelInBackground();
    }
    // Pauses at the job's next suspendIfRequested(); resumes. For jobs that have pause points.
    void setPaused(bool paused) { future.setSuspended(paused); }
};

class Jobs
{
public:
    // The pool every job and every inParallel() worker runs on (not Qt's global pool, whose
    // thread count is the number of cores: a job waiting for its workers would starve it).
    static QThreadPool *pool();

    // Starts `work` on the pool. Either `T work(JobContext &)` (one result) or
    // `void work(JobContext &, QPromise<T> &)` (adds its results itself, in order). `cancel`: a
    // token of the caller's (e.g. the CLI's Ctrl-C handler trips it); a new one when null.
    template <typename T, typename Work>
    static Job<T> start(const ConnectionSettings &settings, Work work, std::shared_ptr<CancelToken> cancel = {})
    {
        if (!cancel)
            cancel = std::make_shared<CancelToken>();
        QFuture<T> future = QtConcurrent::run(pool(), [settings, cancel, work = std::move(work)](QPromise<T> &promise) mutable {
            JobContext context(settings, cancel);
            context.setHooks({[&promise](int lo, int hi) { promise.setProgressRange(lo, hi); },
                              [&promise](int value, const QString &text) { promise.setProgressValueAndText(value, text); },
                              [&promise]() { promise.suspendIfRequested(); }});
            if constexpr (std::is_invocable_v<Work &, JobContext &, QPromise<T> &>)
                work(context, promise);
            else
                promise.addResult(work(context));
        });
        return Job<T>{future, cancel};
    }

    // Runs the calling thread's event loop until `job` has finished, calling onResult for each
    // result in order, in this thread. For the CLI (Ctrl-C cancels through the job's token).
    template <typename T> static void wait(const Job<T> &job, const std::function<void(const T &)> &onResult = {})
    {
        QFuture<T> future = job.future;
        int next = 0;
        auto drain = [&]() {
            while (next < future.resultCount()) {
                const T value = future.resultAt(next++);
                if (onResult)
                    onResult(value);
            }
        };
        QFutureWatcher<T> watcher;
        QEventLoop loop;
        QObject::connect(&watcher, &QFutureWatcherBase::resultsReadyAt, &loop, drain);
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
        future.waitForFinished();
        drain();
    }

    // The single result of a one-result job, waited for as above.
    template <typename T> static T result(const Job<T> &job)
    {
        T out{};
        wait<T>(job, [&out](const T &value) { out = value; });
        return out;
    }
};

} // namespace rollup
