#pragma once

#include "core/accountchange.h"
#include "core/connectionsettings.h"
#include "core/rawevent.h"
#include "core/replicalag.h"
#include "jobs/job.h"
#include "jobs/verifyengine.h"

#include <QFuture>
#include <QHash>

#include <functional>
#include <memory>
#include <optional>

namespace rollup {

// One verified local day: how its keys compare, and the worst status among them
// (Comparison::severity); a day without keys is a Match with keys == 0.
struct VerifyDay
{
    date::local_days day{};
    qint64 keys = 0;
    qint64 matches = 0;
    qint64 mismatches = 0;
    qint64 missing = 0;
    qint64 extra = 0;
    CompareStatus worst = CompareStatus::Match;
    bool differs() const { return matches != keys; }
};

// Everything the verify view shows, computed off the GUI thread. Plain value; copies share data.
struct VerifyOutcome
{
    VerifyRequest request;
    VerifyResult result; // rows share their dimension_type / metric strings
    QHash<qint64, QString> agentNames; // users rows that still exist (ids of agent keys)
    QHash<qint64, QString> inboxNames; // inboxes rows that still exist (ids of inbox keys)
    QList<VerifyDay> days; // one per verified day, sorted
    std::optional<qint64> featureFlags; // accounts.feature_flags when the verify ran
    QString readFrom; // the server the comparison read (user@host:port/db)
    std::optional<ReplicaLag> replicaLag; // when it read from a replica: its lag at the start
    QString lagWarning; // one line when that lag exceeds what the range tolerates
    QString error; // one line; empty on success
    bool cancelled = false;

    bool ok() const { return error.isEmpty() && !cancelled; }
    // The default range (first event .. last closed day), no from/to, today excluded.
    bool wholeHistory() const;
    QList<date::local_days> differingDays() const;
};

// Drill-down: the raw events feeding one key, inside that day's UTC window.
struct RawEventsLoad
{
    qint64 accountId = 0;
    DayWindow window{};
    QString dimensionType;
    qint64 dimensionId = 0;
    QString metric;
    QList<RawEvent> events;
    bool truncated = false; // EventRepository::kRowLimit rows were returned
    QString error;
    bool cancelled = false;
};

// Result of enabling the report_rollup read-path bit.
struct ReadPathChange
{
    qint64 accountId = 0;
    int bit = 0;
    std::optional<qint64> before; // feature_flags under the row lock, just before the UPDATE
    std::optional<qint64> after; // RETURNING feature_flags; nullopt: account not found
    QString refusal; // not attempted, and why (no clean whole-history verify)
    QString error; // attempted and failed (nothing written)
    AccountChange change; // what was written (and the audit row, when there is one)
    QString historyError; // the history journal could not be written (the change stands)
    bool done() const { return refusal.isEmpty() && error.isEmpty() && after.has_value(); }
};

// Verify as the CLI and the GUI use it. Every function opens its own connections (JobContext)
// in the thread that runs the work and closes them there; none touches widgets or models. Jobs
// always deliver exactly one result (errors and cancellation are reported in it, never thrown).
class VerifyJob
{
    Q_DECLARE_TR_FUNCTIONS(VerifyJob)

public:
    static constexpr int kSteps = 4; // progress steps of run(): connect, compare, names, days

    // Plan + compare (VerifyEngine), names, per-day summary, in the calling thread; progress
    // steps 0..kSteps with a text through the context. With a replica in the settings every
    // read goes there (the primary only answers how far the replica is behind, and the replica
    // must be a standby of it); the outcome names the server read and warns about its lag.
    static VerifyOutcome run(const JobContext &context, const VerifyRequest &request, SysSeconds now);
    static Job<VerifyOutcome> start(const ConnectionSettings &settings, const VerifyRequest &request, SysSeconds now);

    // Drill-down: the raw events feeding one key (EventRepository::eventsOfKey), read where
    // verify reads (the replica when the settings name one).
    static Job<RawEventsLoad> loadEvents(const ConnectionSettings &settings, qint64 accountId, const DayWindow &window,
                                         const QString &dimensionType, qint64 dimensionId, const QString &metric);

    // The read path may only be switched on after a clean verify of the whole history: a
    // completed verify, default range, at least one day, every key matching. Pure.
    static bool readPathEligible(const VerifyOutcome &evidence, QString *reason = nullptr);
    // Sets bit `bit` of evidence's account with FeatureFlags::enable (one atomic UPDATE, and
    // Chatwoot's audit row when the database has the `audits` table) on the primary; refuses
    // (refusal set, nothing sent) unless readPathEligible(evidence), and fails before the UPDATE
    // when the server is a standby in recovery. An attempted write is recorded in the console's
    // history (HistoryJournal) with its outcome; a refusal is not.
    static Job<ReadPathChange> enableReadPath(const ConnectionSettings &settings, const VerifyOutcome &evidence, int bit);

    // Per-day summary of `rows` over `windows` (pure).
    static QList<VerifyDay> summarizeDays(const QList<DayWindow> &windows, const QList<CompareRow> &rows);
};

} // namespace rollup
