#pragma once

#include "db/accountrepository.h"
#include "db/connectionsettings.h"

#include <QFuture>
#include <QString>

namespace rollup {

struct AccountsLoad
{
    QList<AccountRow> accounts;
    QString error;         // one line; empty on success
    QString schemaProblem; // what the schema check found missing
    QString server;        // server version and TLS state
};

// Loads the accounts on a pool thread with its own connection (opened and closed there).
class AccountLoader
{
public:
    static QFuture<AccountsLoad> load(const ConnectionSettings &settings);
};

} // namespace rollup
