#pragma once

#include <QCoreApplication>
#include <QString>

#include <chrono>
#include <optional>

#include <date/date.h>

namespace rollup {

// How far a streaming replica is behind its primary when the console asked, and whether a
// verify of a range of days may trust what it reads there. Value type; any thread.
//
// The replica misses whatever the primary wrote in the last `seconds`. A range reaching today
// changes all the time (Chatwoot's live upserts), one reaching yesterday may still receive late
// events and backfills, older days change only when a backfill rewrites them: each tolerates a
// lag of its own (tolerance()).
struct ReplicaLag
{
    Q_DECLARE_TR_FUNCTIONS(ReplicaLag)

public:
    QString server; // the replica, user@host:port/db (no password)
    bool caughtUp = false; // it had replayed all the primary had written when asked
    // now() - pg_last_xact_replay_timestamp() on the replica; nullopt: it has replayed no
    // transaction since it started, so the age of its data is unknown.
    std::optional<double> seconds;

    // 0 when caught up; the replay age otherwise (infinity when unknown).
    double effectiveSeconds() const;
    // "caught up with the primary", "12.3 s behind the primary", "behind the primary (by an unknown time)"
    QString describe() const;

    static constexpr std::chrono::seconds kTodayTolerance{5};
    static constexpr std::chrono::seconds kYesterdayTolerance{60};
    static constexpr std::chrono::seconds kOlderTolerance{15 * 60};
    // The lag a verify of days up to `lastDay` tolerates, `today` being the account's local day.
    static std::chrono::seconds tolerance(date::local_days lastDay, date::local_days today);
    // Empty when the lag is within tolerance() for that range; otherwise one line that says so.
    QString warningFor(date::local_days lastDay, date::local_days today) const;
};

} // namespace rollup
