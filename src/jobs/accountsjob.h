#pragma once

#include "core/account.h"
#include "core/connectionsettings.h"
#include "jobs/job.h"

#include <QHash>
#include <QList>
#include <QString>

namespace rollup {

struct AccountsLoad
{
    QList<AccountRow> accounts;
    QString error;         // one line; empty on success
    bool passwordNeeded = false; // the server wants a password the settings lack (or it was wrong)
    QString schemaProblem; // what the schema check found missing
    QString server;        // server version and TLS state
    bool cancelled = false;
};

struct AccountStatsLoad
{
    QHash<qint64, AccountStats> stats; // accounts with neither rollups nor events are absent
    QString error;                     // one line; empty on success
    double seconds = 0;
    bool cancelled = false;
};

// The accounts list and its statistics, for the accounts view and the `accounts` command.
class AccountsJob
{
public:
    // Step 1: the schema check and the account list (one scan of accounts).
    static AccountsLoad load(const JobContext &context);
    static Job<AccountsLoad> startLoad(const ConnectionSettings &settings);
    // Step 2: rollup coverage and event span of every account.
    static AccountStatsLoad loadStats(const JobContext &context);
    static Job<AccountStatsLoad> startLoadStats(const ConnectionSettings &settings);
};

} // namespace rollup
