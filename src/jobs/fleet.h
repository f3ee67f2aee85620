#pragma once

#include "core/accountselection.h"
#include "core/comparison.h"
#include "core/connectionsettings.h"
#include "core/daywindow.h"
#include "core/rangeplan.h"
#include "jobs/job.h"

#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QString>

#include <variant>

namespace rollup {

// The whole installation as the unit of work: verify or backfill every selected account that
// has a usable reporting_timezone, over each account's default range (first event's local day
// .. yesterday in its zone), on a few connections set up once for the run (docs/scaling.md).
enum class FleetMode { Verify, Backfill };
// Which days of each account a fleet backfill rewrites.
enum class FleetDays {
    All, // the whole default range
    Missing, // days of the range without any rollup row
    Differing, // days whose stored rows differ from a recomputation (compared first, per chunk)
};

struct FleetRequest
{
    FleetMode mode = FleetMode::Verify;
    AccountSelection accounts;
    FleetDays days = FleetDays::All;
    int workers = 2; // connections that compute and write at once
    double dutyCycle = 1.0; // 0 < F <= 1: the database is kept busy at most this fraction of wall time
    int batchAccounts = 500; // accounts read (and, for a backfill, locked) together; see kBatchAccounts
    bool resume = false; // skip the accounts the journal says the interrupted run finished
    bool dryRun = false; // plan only: nothing written, no journal
    SysSeconds now{};
    QString journalPath; // empty: StateDirectory's default for this database and mode
    QString healthPath; // verify's results for the health board; empty: HealthStore's default
};

enum class FleetStatus {
    Queued,
    Running,
    Match, // verify: every key matches
    Differs, // verify: some key differs
    Done, // backfill: every selected day rewritten
    Skipped, // no usable zone, no events, nothing to do, or finished by the interrupted run
    Locked, // backfill: another session holds the account's advisory lock
    Failed, // an error (the account's days each keep all old or all new rows)
    Cancelled, // the run was cancelled before the account was finished
};

// One account's line of a fleet run.
struct FleetAccount
{
    qint64 accountId = 0;
    QString name;
    FleetStatus status = FleetStatus::Queued;
    QString note; // why skipped / locked / failed; "resumed" for a journal line
    qint64 events = 0; // events of the account (the run's order: largest first)
    std::optional<DateRange> range;
    int days = 0; // days selected for the run
    // verify
    CompareSummary summary;
    QList<date::local_days> differingDays;
    // backfill
    int daysDone = 0;
    qint64 rowsWritten = 0;
    qint64 eventsRead = 0;
    QList<date::local_days> liveTouchedDays;

    bool finished() const { return status != FleetStatus::Queued && status != FleetStatus::Running; }
};

struct FleetProgress
{
    int accountsDone = 0;
    int accountsTotal = 0; // accounts the run works on (skipped ones not counted)
    qint64 daysDone = 0;
    qint64 daysTotal = 0;
    qint64 eventsRead = 0;
    qint64 rowsWritten = 0;
    double elapsedSeconds = 0;
    double busySeconds = 0; // time the workers spent in statements
    int reruns = 0; // chunk transactions that ran again after colliding with live writes (ChunkWrite::reruns)
    double eventsPerSecond = 0;
    double etaSeconds = 0;
    QString phase; // "planning", "running", "done"
    QList<FleetAccount> changed; // accounts whose state changed since the last report
};

struct FleetResult
{
    QList<FleetAccount> accounts; // every account of the selection, in the order run
    QString journalPath; // where the finished accounts are recorded
    QString error; // one line: the run could not go on (connection lost, ...)
    bool cancelled = false;
    double seconds = 0;
    double busySeconds = 0; // time the workers spent in statements (the duty cycle's measure)
    int reruns = 0; // chunk transactions that ran again after colliding with live writes
    int exitCode() const; // verify: 0 all match, 1 a difference, 2 error; backfill: 0, 1 failure/locked, 130 cancelled
};

// What a fleet job delivers, in order: progress reports, then exactly one result.
using FleetEvent = std::variant<FleetProgress, FleetResult>;

class FleetRunner
{
    Q_DECLARE_TR_FUNCTIONS(FleetRunner)

public:
    // Accounts per batch by default: a batch's accounts are read together (one pass over a span
    // of the table for all of them) and, for a backfill, hold their advisory locks together (500
    // session locks stay well inside PostgreSQL's default lock table of 64 x max_connections).
    // A finished batch is what the journal records, so a smaller batch resumes closer to where
    // an interrupted run stopped.
    static constexpr int kBatchAccounts = 500;
    // The chunk of days a statement covers adapts so a statement takes about this long.
    static constexpr double kTargetChunkSeconds = 1.0;
    // ... up to this many days: a statement's parameters hold every day's bounds of the batch's
    // accounts in zones with daylight saving time (500 accounts of a year each: about 10 MB of
    // text, copied several times on its way to the server).
    static constexpr int kMaxChunkDays = 92;

    // Runs in the calling thread; `progress` is called from the run's threads, one call at a
    // time. Never throws: errors are in the result.
    static FleetResult run(const JobContext &context, const FleetRequest &request,
                           const std::function<void(const FleetProgress &)> &progress = {});
    static Job<FleetEvent> start(const ConnectionSettings &settings, const FleetRequest &request,
                                 std::shared_ptr<CancelToken> cancel = {});

    static QString statusName(FleetStatus status); // match, differs, done, skipped, locked, error, queued, running
    static QString defaultJournalPath(const ConnectionSettings &settings, FleetMode mode);
};

} // namespace rollup

Q_DECLARE_METATYPE(rollup::FleetProgress)
Q_DECLARE_METATYPE(rollup::FleetResult)
