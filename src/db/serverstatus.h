#pragma once

#include "db/dberror.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace rollup {

class Connection;

// What a server is — a primary or a standby in recovery — and how far a standby has replayed.
// Read-only statements on the caller's connection and thread; every function throws DbError.
class ServerStatus
{
    Q_DECLARE_TR_FUNCTIONS(ServerStatus)

public:
    static bool inRecovery(Connection &connection);
    // Throws a one-line DbError (SQLSTATE 25006) when the server is a standby in recovery:
    // call it before any write, so a replica given as the primary is refused before any work.
    static void requirePrimary(Connection &connection);
    // pg_control_system().system_identifier: equal on a primary and its physical standbys.
    static QString systemIdentifier(Connection &connection);
    // The primary's current WAL position, as text (pg_current_wal_insert_lsn(): all it has written,
    // also what asynchronous commit has not flushed yet).
    static QString currentWalLsn(Connection &primary);

    struct Replay
    {
        bool reached = false; // pg_last_wal_replay_lsn() >= the given position
        std::optional<double> seconds; // now() - pg_last_xact_replay_timestamp(); nullopt: none replayed
    };
    // On a standby: whether it has replayed up to `lsn` (the primary's, read just before), and
    // the age of the last transaction it replayed.
    static Replay replay(Connection &standby, const QString &lsn);
};

} // namespace rollup
