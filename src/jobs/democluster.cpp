#include "jobs/democluster.h"

#include "db/dberror.h"
#include "db/demodatabase.h"
#include "jobs/loopbackport.h"

#include <QElapsedTimer>

#include <algorithm>

namespace rollup {

namespace {

// DemoStep values (0 .. DemoCluster::kProgressMax): where each part of a start begins.
constexpr int kServerAt = 100; // after initdb
constexpr int kDatabaseAt = 150; // after the server runs
constexpr int kSeedEnd = 990; // the database is in place; "ready" is the maximum

} // namespace

DemoCluster::DemoCluster(QString baseDir) : m_server(std::move(baseDir))
{
}

DemoCluster::~DemoCluster()
{
    stop();
}

ConnectionSettings DemoCluster::settings() const
{
    std::lock_guard lock(m_mutex);
    return m_last.settings;
}

double DemoCluster::seedSeconds() const
{
    std::lock_guard lock(m_mutex);
    return m_last.seedSeconds;
}

Job<DemoStartEvent> DemoCluster::start(bool reset, std::shared_ptr<CancelToken> cancel)
{
    if (m_job.isRunning())
        return m_job;
    m_job = Jobs::start<DemoStartEvent>(
        ConnectionSettings{},
        [this, reset](JobContext &context, QPromise<DemoStartEvent> &promise) { run(context, promise, reset); },
        std::move(cancel));
    return m_job;
}

bool DemoCluster::start(bool reset, QString *error, const std::function<void(const QString &)> &log)
{
    const Job<DemoStartEvent> job = start(reset);
    Jobs::wait<DemoStartEvent>(job, [&log](const DemoStartEvent &event) {
        if (const auto *step = std::get_if<DemoStep>(&event); step && log)
            log(step->text);
    });
    const DemoStart result = outcome(job.future);
    if (!result.ok && error)
        *error = result.error;
    return result.ok;
}

DemoStart DemoCluster::outcome(const QFuture<DemoStartEvent> &future)
{
    const int count = future.resultCount();
    if (count > 0) {
        const DemoStartEvent last = future.resultAt(count - 1);
        if (const auto *result = std::get_if<DemoStart>(&last))
            return *result;
    }
    DemoStart none;
    none.error = tr("the demo start ended without a result");
    return none;
}

void DemoCluster::stop()
{
    if (m_job.isValid()) {
        if (m_job.isRunning())
            m_job.cancel();
        m_job.future.waitForFinished();
    }
    if (m_serverUp.exchange(false))
        m_server.stop();
    m_lock.reset();
}

void DemoCluster::run(const JobContext &context, QPromise<DemoStartEvent> &promise, bool reset)
{
    DemoStart out;
    int last = 0;
    auto step = [&](int value, const QString &text) {
        last = std::clamp(value, last, int(kProgressMax));
        promise.addResult(DemoStartEvent{DemoStep{last, text}});
    };
    auto finish = [&](const QString &error) {
        if (!error.isEmpty()) {
            out.ok = false;
            out.cancelled = context.isCancelled();
            out.error = out.cancelled ? tr("the demo start was cancelled") : error;
            if (m_serverUp.exchange(false))
                m_server.stop();
            m_lock.reset();
        }
        {
            std::lock_guard lock(m_mutex);
            m_last = out;
        }
        promise.addResult(DemoStartEvent{out});
    };
    QString error;
    if (!m_server.prepare(&error))
        return finish(error);

    // One console runs the cluster (creates, seeds, stops it). Another one may use its server
    // once the data is ready, and leaves it running.
    m_lock = std::make_unique<QLockFile>(m_server.baseDir() + QStringLiteral("/lock"));
    m_lock->setStaleLockTime(0); // stale only when its process is gone
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, application;
        m_lock->getLockInfo(&pid, &host, &application);
        m_lock.reset();
        const QString owner = tr("rollup-console (process %1)").arg(pid);
        const int port = m_server.runningPort();
        if (reset || !port)
            return finish(tr("the demo cluster in %1 is in use by %2").arg(m_server.baseDir(), owner));
        step(kServerAt, tr("Using the demo server of %1 on 127.0.0.1:%2…").arg(owner).arg(port));
        const std::optional<ConnectionSettings> server = m_server.settings(port, &error);
        if (!server)
            return finish(error);
        try {
            if (!DemoDatabase::exists(*server, context.cancelToken()))
                return finish(tr("%1 is still preparing the demo data; try again when it is ready").arg(owner));
        } catch (const DbError &e) {
            return finish(e.message());
        }
        out.settings = DemoDatabase::settings(*server);
        out.ok = true;
        step(kProgressMax, tr("Ready: using the demo data of %1").arg(owner));
        return finish({});
    }

    const bool fresh = !m_server.hasCluster();
    if (fresh) {
        step(0, tr("Creating the demo cluster in %1 (initdb)…").arg(m_server.baseDir()));
        if (!m_server.createCluster(*context.cancelToken(), &error))
            return finish(error);
    }
    int port = m_server.runningPort();
    if (port) {
        m_serverUp = true; // left running by a console that ended abruptly: ours now
        step(kServerAt, tr("Reusing the demo server running on 127.0.0.1:%1…").arg(port));
    } else {
        QString output;
        for (int attempt = 0; attempt < 3 && !m_serverUp; ++attempt) { // the port may be taken meanwhile
            if (context.isCancelled())
                return finish(tr("cancelled"));
            port = freeLoopbackPort();
            if (!port)
                return finish(tr("no free loopback port"));
            step(kServerAt, tr("Starting the demo server on 127.0.0.1:%1…").arg(port));
            m_serverUp = m_server.start(port, &output);
        }
        if (!m_serverUp)
            return finish(
                tr("the demo server did not start: %1 (see %2/server.log)").arg(oneLine(output).right(200), m_server.baseDir()));
    }
    const std::optional<ConnectionSettings> server = m_server.settings(port, &error);
    if (!server)
        return finish(error);

    try {
        bool reuse = false;
        if (!reset && !fresh) {
            step(kDatabaseAt, tr("Looking for the demo data…"));
            reuse = DemoDatabase::exists(*server, context.cancelToken());
        }
        if (!reuse) {
            QElapsedTimer clock;
            clock.start();
            DemoDatabase::create(*server, context.cancelToken(), [&](double fraction, const QString &text) {
                step(kDatabaseAt + int(fraction * (kSeedEnd - kDatabaseAt)), text);
            });
            out.seeded = true;
            out.seedSeconds = std::max(clock.nsecsElapsed() / 1e9, 1e-3);
        }
        out.settings = DemoDatabase::settings(*server);
        out.ok = true;
        step(kProgressMax,
             reuse ? tr("Ready: reusing the demo data") : tr("Ready: demo data seeded in %1 s").arg(out.seedSeconds, 0, 'f', 1));
        return finish({});
    } catch (const DbError &e) {
        return finish(e.message());
    }
}

} // namespace rollup
