#include "jobs/job.h"

#include "db/connection.h"
#include "db/dberror.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

namespace rollup {

JobContext::JobContext(ConnectionSettings settings, std::shared_ptr<CancelToken> cancel)
    : m_settings(std::move(settings)), m_cancel(cancel ? std::move(cancel) : std::make_shared<CancelToken>())
{
}

std::unique_ptr<Connection> JobContext::connect() const
{
    return std::make_unique<Connection>(m_settings, m_cancel);
}

JobContext JobContext::forReads() const
{
    if (!m_settings.hasReplica())
        return *this;
    QString error;
    const std::optional<ConnectionSettings> replica = m_settings.replica(&error);
    if (!replica)
        throw DbError(error);
    JobContext reads(*replica, m_cancel);
    reads.m_hooks = m_hooks;
    return reads;
}

void JobContext::setProgressRange(int minimum, int maximum) const
{
    if (m_hooks.progressRange)
        m_hooks.progressRange(minimum, maximum);
}

void JobContext::setProgress(int value, const QString &text) const
{
    if (m_hooks.progress)
        m_hooks.progress(value, text);
}

void JobContext::suspendIfRequested() const
{
    if (m_hooks.suspendIfRequested)
        m_hooks.suspendIfRequested();
}

void JobContext::inParallel(int workers, const std::function<void(Connection &, int)> &work, Connection *first,
                            const std::function<void()> &onFailure) const
{
    std::mutex mutex;
    std::exception_ptr failure;
    auto guarded = [&](int worker, Connection *given) {
        try {
            if (given) {
                work(*given, worker);
            } else {
                const std::unique_ptr<Connection> own = connect();
                work(*own, worker);
            }
        } catch (...) {
            {
                std::lock_guard lock(mutex);
                if (!failure)
                    failure = std::current_exception();
            }
            if (onFailure)
                onFailure();
        }
    };
    QList<QFuture<void>> others;
    for (int i = 1; i < workers; ++i)
        others.append(QtConcurrent::run(Jobs::pool(), [&guarded, i]() { guarded(i, nullptr); }));
    guarded(0, first);
    for (QFuture<void> &f : others)
        f.waitForFinished();
    if (failure)
        std::rethrow_exception(failure);
}

void JobContext::inParts(const QList<qint64> &ids, qsizetype partSize, int workers,
                         const std::function<PartHandler(Connection &)> &forConnection, Connection *first) const
{
    std::mutex mutex;
    qsizetype next = 0;
    std::atomic<bool> failed{false};
    const qsizetype parts = (ids.size() + partSize - 1) / partSize;
    inParallel(
        int(std::clamp<qsizetype>(parts, 1, workers)),
        [&](Connection &connection, int) {
            const PartHandler handle = forConnection(connection);
            for (;;) {
                qsizetype from = 0;
                {
                    const std::lock_guard lock(mutex);
                    if (next >= ids.size() || failed || isCancelled())
                        return;
                    from = std::exchange(next, next + partSize);
                }
                handle(ids.mid(from, partSize));
            }
        },
        first, [&failed]() { failed = true; });
}

QThreadPool *Jobs::pool()
{
    static QThreadPool *pool = []() {
        auto *p = new QThreadPool; // lives until exit: jobs may outlive every window
        p->setMaxThreadCount(std::max(32, QThread::idealThreadCount() * 8));
        p->setObjectName(QStringLiteral("rollup-jobs"));
        return p;
    }();
    return pool;
}

} // namespace rollup
