#pragma once

#include "core/account.h"
#include "core/connectionsettings.h"
#include "core/healthstore.h"
#include "core/historyjournal.h"
#include "jobs/job.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace rollup {

struct AccountsLoad
{
    QList<AccountRow> accounts;
    QHash<qint64, AccountHealth> health; // the health board: each account's last verify here
    QHash<qint64, HistoryEntry> lastChanges; // the console's history: each account's last write
    QString error; // one line; empty on success
    bool passwordNeeded = false; // the server wants a password the settings lack (or it was wrong)
    QString schemaProblem; // what the schema check found missing
    QString server; // server version and TLS state
    bool cancelled = false;
};

// Statistics of a batch of accounts, or (from loadStats) of all of them.
struct AccountStatsLoad
{
    QList<qint64> accountIds; // the accounts this load covers
    QHash<qint64, AccountStats> stats; // of those, the ones with rollups or events
    qsizetype done = 0; // accounts covered so far, this batch included
    qsizetype total = 0; // accounts asked for
    QString error; // one line; empty on success
    double seconds = 0; // since the load started
    bool cancelled = false;
    bool finished() const { return done == total || !error.isEmpty() || cancelled; }
};

// The accounts list and its statistics, for the accounts view and the `accounts` command.
class AccountsJob
{
public:
    // Step 1: the schema check and the account list (one scan of accounts); with `localState`,
    // also the console's own records of them (health board, last changes), which the `accounts`
    // command does not print (the health file of 10,000 accounts takes tens of ms to parse).
    static AccountsLoad load(const JobContext &context, bool localState = true);
    static Job<AccountsLoad> startLoad(const ConnectionSettings &settings);
    // Step 2: first/last event and first/last rollup date of `accountIds` (every account when
    // none are given: then this needs no step 1 and can run beside it), by index probes
    // (AccountRepository::stats), kBatch accounts per statement on up to kWorkers connections;
    // `batch` is called after each (never twice at once; `done` grows with every call).
    // Returns all of them.
    static constexpr qsizetype kBatch = 250;
    static constexpr qsizetype kWorkers = 2; // connections probing at once
    static AccountStatsLoad loadStats(const JobContext &context, const std::optional<QList<qint64>> &accountIds,
                                      const std::function<void(const AccountStatsLoad &)> &batch = {});
    // As a job: one result per batch (progressive filling), the last one finished().
    static Job<AccountStatsLoad> startLoadStats(const ConnectionSettings &settings, const QList<qint64> &accountIds);
    // The health board alone (after a verify): reads the console's state file, no connection.
    static Job<QHash<qint64, AccountHealth>> startLoadHealth(const ConnectionSettings &settings);
};

} // namespace rollup
