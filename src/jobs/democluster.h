#pragma once

#include "core/cancellation.h"
#include "core/connectionsettings.h"
#include "jobs/demoserver.h"
#include "jobs/job.h"

#include <QCoreApplication>
#include <QLockFile>
#include <QMetaType>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <variant>

namespace rollup {

// A step of a demo start: how far the whole start is (0 .. DemoCluster::kProgressMax, never
// decreasing) and what runs now ("Seeding the demo data, step 5 of 7: raw events: 2021 (4 of 9)…").
struct DemoStep
{
    int value = 0;
    QString text;
};

// How a demo start ended. Plain values, safe to hand to the GUI thread.
struct DemoStart
{
    bool ok = false;
    bool cancelled = false;
    QString error; // one line when !ok (also when cancelled)
    ConnectionSettings settings; // the demo database, when ok
    bool seeded = false; // this start created the demo data (first start, reset); else reused
    double seedSeconds = 0; // creating and seeding the database, when seeded
};

// What a demo start job delivers, in order: a DemoStep when a step begins, then exactly one
// DemoStart. Steps are results rather than QFuture progress because a future drops a progress
// report that comes within 40 ms of the previous one, and every step must reach the CLI's lines
// and the GUI's page.
using DemoStartEvent = std::variant<DemoStep, DemoStart>;

// The console's private PostgreSQL for --demo, started as a job: the server (DemoServer: initdb,
// pg_ctl, a free loopback port, a generated password) in the user's data location, and the demo
// database in it (DemoDatabase: schema, seed), created on the first start and reused later.
//
// One console runs a cluster at a time (a lock file in the base directory): it creates, seeds and
// stops it. A second console on the same directory uses the running server once the data is
// ready, never seeds or stops it, and fails with a one-line error before that.
//
// Threads: construct, start(), stop() and destroy in one thread (the GUI or the CLI main thread);
// the start itself runs on the jobs pool. The destructor stops a server this object started.
class DemoCluster
{
    Q_DECLARE_TR_FUNCTIONS(DemoCluster)

public:
    // DemoStep::value runs from 0 to kProgressMax ("ready").
    static constexpr int kProgressMax = 1000;

    explicit DemoCluster(QString baseDir = {}); // empty: DemoServer::defaultBaseDir()
    ~DemoCluster();
    DemoCluster(const DemoCluster &) = delete;
    DemoCluster &operator=(const DemoCluster &) = delete;

    // Starts the cluster on the jobs pool and returns at once. Steps: initdb (first start only),
    // starting the server (or reusing the one running), creating the schema and seeding step by
    // step with a real share of the work (first start, or `reset`), then "ready". The DemoStart
    // says whether the data was seeded or reused; on failure or cancel (`cancel`, or
    // Job::cancel()) it has a one-line error and the job has stopped the server again. While a
    // start runs, a second call returns the same job.
    Job<DemoStartEvent> start(bool reset, std::shared_ptr<CancelToken> cancel = {});
    // start() waited for in the calling thread's event loop (Jobs::wait); `log` gets each step's
    // text. Returns false with the one-line error.
    bool start(bool reset, QString *error, const std::function<void(const QString &)> &log = {});
    // The DemoStart of a start job's results (the last one); a failed DemoStart when it has none.
    static DemoStart outcome(const QFuture<DemoStartEvent> &future);
    // Cancels a start in progress and waits for it, then stops the server this object started
    // (pg_ctl stop -m fast; no postgres process is left). Blocks for up to a few seconds: call it
    // at exit, not while the GUI is in use.
    void stop();

    bool running() const { return m_serverUp.load(); }
    ConnectionSettings settings() const; // of the last start (empty when it failed)
    double seedSeconds() const; // of the last start; 0 when it reused the data
    QString baseDir() const { return m_server.baseDir(); }

private:
    void run(const JobContext &context, QPromise<DemoStartEvent> &promise, bool reset); // the job, on a pool thread

    const DemoServer m_server;
    Job<DemoStartEvent> m_job; // owner thread only
    std::atomic<bool> m_serverUp{false}; // a server this object started (or adopted) runs
    std::unique_ptr<QLockFile> m_lock; // held while this object runs the cluster (job, then owner thread)
    mutable std::mutex m_mutex;
    DemoStart m_last; // guarded by m_mutex
};

} // namespace rollup

Q_DECLARE_METATYPE(rollup::DemoStep)
Q_DECLARE_METATYPE(rollup::DemoStart)
