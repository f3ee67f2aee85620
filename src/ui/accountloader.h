#pragma once

#include "db/accountrepository.h"
#include "db/connectionsettings.h"

#include <QFuture>
#include <QHash>
#include <QString>

#include <memory>

namespace rollup {

class CancelToken;

struct AccountsLoad
{
    QList<AccountRow> accounts;
    QString error;         // one line; empty on success
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

// Loads the accounts on a pool thread with its own connection (opened and closed there).
// Callable from any thread; the futures never touch widgets. `cancel` (optional, shared with the
// caller) cancels the statement in flight on the server; the result then has cancelled = true.
class AccountLoader
{
public:
    // Step 1: the account list (fast: one index-free scan of accounts) and the schema check.
    static QFuture<AccountsLoad> load(const ConnectionSettings &settings, std::shared_ptr<CancelToken> cancel = {});
    // Step 2: rollup coverage and event span of every account in one set-based statement.
    static QFuture<AccountStatsLoad> loadStats(const ConnectionSettings &settings, std::shared_ptr<CancelToken> cancel = {});
};

} // namespace rollup
