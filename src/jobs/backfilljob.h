#pragma once

#include "db/connectionsettings.h"
#include "jobs/backfillengine.h"
#include "jobs/backfillplanner.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace rollup {

class CancelToken;

// Which days of the range a backfill rewrites.
enum class BackfillMode {
    AllDays,       // every day of the range
    MissingDays,   // only days without any rollup row
    DifferingDays, // only the days a verify found different (BackfillPlanRequest::days), within the range
    ListedDays,    // exactly BackfillPlanRequest::days (retry, re-backfill from verify); range ignored
};

struct BackfillPlanRequest
{
    qint64 accountId = 0;
    RangeRequest range;           // empty from/to: the discovered default (first event .. yesterday)
    BackfillMode mode = BackfillMode::AllDays;
    QList<date::local_days> days; // DifferingDays / ListedDays
};

// What the plan step found. Plain value, safe to hand from a worker thread to the GUI.
struct BackfillPlanOutcome
{
    BackfillPlanRequest request;
    BackfillPlan plan;              // plan.windows: exactly the days the mode selected
    QString error;                  // one line; empty on success
    bool zoneProblem = false;       // the account exists but has no usable reporting_timezone
    std::optional<AccountRow> account; // when the account was found (also with zoneProblem)
    int rangeDays = 0;              // days of plan.range
    int daysWithRows = -1;          // MissingDays: days of the range that already hold rows
    date::local_days today{};       // in the account's zone (valid when the zone is usable)
    SysSeconds todayClosesUtc{};    // start of tomorrow in the account's zone, UTC

    bool ok() const { return error.isEmpty(); }
    QList<date::local_days> selectedDays() const;
};

// Runs BackfillEngine on a thread of its own, with a Connection opened (and closed) in that
// thread, and reports to the thread that owns this object through queued calls.
// Create, call and destroy on one thread (the GUI thread); signals are emitted there.
class BackfillJob : public QObject
{
    Q_OBJECT
public:
    explicit BackfillJob(QObject *parent = nullptr);
    // Cancels a running backfill (the statement in flight is cancelled on the server) and
    // waits for its thread; nothing is emitted from the destructor.
    ~BackfillJob() override;

    // Plans in the calling thread on a connection of its own (opened and closed here): never
    // call it on the GUI thread (QtConcurrent::run it). Never throws; errors are in the outcome.
    static BackfillPlanOutcome prepare(const ConnectionSettings &settings, const BackfillPlanRequest &request, SysSeconds now);

    // Starts the run; false (and nothing started) when one is already running or the plan is
    // empty. `initialChunkDays` is the engine's first chunk (it adapts to ~0.5 s per chunk).
    bool start(const ConnectionSettings &settings, const BackfillPlan &plan, int initialChunkDays = 1);
    // Asks a running backfill to stop: between chunks, or by cancelling the statement in
    // flight. Returns at once; finished() follows with Outcome::Cancelled (or Completed when
    // the last chunk won the race). No-op when idle.
    void cancel();
    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_running && m_cancelRequested; }

signals:
    // After every committed chunk, in order.
    void progressed(const rollup::BackfillProgress &progress);
    // Exactly once per start(). Connection or lock failures arrive as Outcome::Failed with
    // every day in pendingDays.
    void finished(const rollup::BackfillResult &result);

private:
    void deliverProgress(const BackfillProgress &progress);
    void deliverResult(const BackfillResult &result);

    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QThread> m_cancelThread; // PQcancel connects to the server: never on the caller's thread
    std::shared_ptr<CancelToken> m_cancel;
    bool m_running = false;
    bool m_cancelRequested = false;
};

} // namespace rollup

Q_DECLARE_METATYPE(rollup::BackfillProgress)
Q_DECLARE_METATYPE(rollup::BackfillResult)
Q_DECLARE_METATYPE(rollup::BackfillPlanOutcome)
