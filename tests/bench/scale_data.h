#pragma once

// The installation-size database of bench_scale: a fleet of accounts whose event counts span
// 10^2 .. 10^6, their events interleaved in time as the live app inserts them, time zones of
// every kind (Rails names, IANA ids, not set, invalid), live-path rollup rows for a fraction of
// the accounts. Everything is deterministic: the same (accounts, events) give the same database.

#include "core/zoneresolver.h"

#include <QList>
#include <QString>
#include <QTextStream>

#include <functional>

namespace rollup {
class Connection;
}

namespace rollup::scale {

// Events run from kSpanStart (inclusive) to kSpanEnd (exclusive), UTC; the CLI runs with
// ROLLUP_CONSOLE_NOW = kNow, late enough that every event's local day (at most 2026-06-01, in
// UTC+14) is before "yesterday" in every zone (2026-06-01 in UTC-12), so a backfill's default
// range covers every event.
inline constexpr const char *kSpanStart = "2023-06-01 00:00:00";
inline constexpr const char *kSpanEnd = "2026-06-01 00:00:00";
inline constexpr const char *kNow = "2026-06-02T12:00:00Z";
inline constexpr int kLiveDays = 30; // live-path rows: the last 30 local days of the live accounts
// Bumped whenever the generated data changes, so a kept database of an older generator is rebuilt.
inline constexpr const char *kGeneratorVersion = "1";

struct AccountPlan
{
    qint64 id = 0;
    qint64 events = 0;
    qint64 firstMicros = 0; // first possible event, microseconds after kSpanStart
    int agents = 0;
    int inboxes = 0;
    qint64 conversationBase = 0; // conversation ids conversationBase + j / 4 (j: the event's rank)
    QString settingsJson; // accounts.settings as JSON text; empty: SQL NULL
    QString storedLabel; // the stored reporting_timezone as the report names it
    ZoneResolution zone; // what the product's resolver makes of it
    bool live = false; // has live-path rollup rows
};

struct Fleet
{
    int accounts = 0;
    qint64 events = 0;
    double exponent = 0; // p in size = 100 * (max/100)^(u^p)
    qint64 maxSize = 0;
    QList<AccountPlan> plans; // index i holds account id i + 1

    const AccountPlan &largest() const;
    // The account of median size among those with a usable zone (a backfill can run on it).
    const AccountPlan &medianUsable() const;
    qint64 usableAccounts() const;
};

// Sizes, zones, agents, inboxes of every account. Empty `error` on success.
Fleet planFleet(int accounts, qint64 events, QString *error);

// Distribution (min, median, p90, p99, max, total) and the zones, several lines.
void printFleet(QTextStream &out, const Fleet &fleet);

// Fills the connected, empty database: schema, accounts, events (time-ordered batches), indexes
// built after the load, VACUUM ANALYZE, CHECKPOINT, the full-fleet rows (bench_fleet_rows), the
// live-path rows (bench_live_rollups, also stored in reporting_events_rollups) and, last, the
// parameters table. `progress` gets one line now and then. Throws DbError.
void generate(Connection &c, const Fleet &fleet, const std::function<void(const QString &)> &progress);

// Whether the connected database holds a complete generation of these parameters.
bool matchesParameters(Connection &c, int accounts, qint64 events);
// A value of the parameters table, empty when absent.
QString parameter(Connection &c, const QString &name);
void setParameter(Connection &c, const QString &name, const QString &value);

// reporting_events_rollups as the live path left it (restored from bench_live_rollups), or as a
// full fleet backfill leaves it (bench_fleet_rows). Followed by VACUUM ANALYZE; a no-op when the
// table is already in that state (recorded in the parameters table). Throws DbError.
enum class RollupState { Live, FullFleet };
void ensureRollupState(Connection &c, RollupState state);
void forgetRollupState(Connection &c); // before something else writes the table (backfill --all)
void rememberRollupState(Connection &c, RollupState state);
QString rollupColumns(); // the rollup columns a backfill writes, without id/created_at/updated_at
// Flushes dirty pages now, so that no checkpoint triggered by earlier writes runs during a timing.
void checkpoint(Connection &c);
// VACUUM (ANALYZE) of the rollups table and a checkpoint: the state autovacuum leaves a while
// after a rewrite of the table, so that no vacuum of it runs beside a later timing.
void settleRollups(Connection &c);

} // namespace rollup::scale
