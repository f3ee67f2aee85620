#pragma once

#include "core/connectionsettings.h"
#include "core/replicalag.h"
#include "jobs/job.h"

#include <QString>

namespace rollup {

class Connection;

struct ConnectionTest
{
    bool ok = false;
    QString message; // libpq's one-line error, or what the server said
    QString serverVersion;
    QString ssl; // Connection::sslDescription()
    QString schemaProblem; // Schema::checkMessage(); empty when the tables are there
    bool inRecovery = false; // the server is a standby: writes would be refused
    QString writeRefusal; // then ServerStatus::requirePrimary's one line; empty on a primary
    bool throughProxy = false; // a pool that keeps one server session per connection (Connection::throughProxy())
};

// A replica next to the primary: which server each side uses and how far the replica is behind.
struct ReplicaTest
{
    bool ok = false;
    QString error; // one line: cannot connect, not a standby, not a standby of this primary
    QString primary; // user@host:port/db: writes, the advisory lock
    QString replica; // user@host:port/db: planning's and verify's reads
    ReplicaLag lag;
    // "primary … (writes, lock) · replica … (planning and verify reads), caught up with the primary"
    QString describe() const;
};

// Opens a throwaway connection and reports the server version, TLS state and schema check
// (the connection dialog's Test button).
class ConnectionCheck
{
public:
    static ConnectionTest run(const JobContext &context);
    static Job<ConnectionTest> start(const ConnectionSettings &settings);

    // With a replica in the settings: opens a connection to each side, checks that the replica
    // is a standby in recovery of this very primary (same system identifier) and measures its
    // lag. Without one: ok with empty names. Never throws.
    static ReplicaTest replica(const JobContext &context);
    static Job<ReplicaTest> startReplica(const ConnectionSettings &settings);
    // The same on open connections, in the calling thread; throws DbError (one line) when the
    // replica is not a standby of `primary`. Waits up to ~0.8 s for a streaming replica to
    // replay what the primary had written when asked (then it counts as caught up).
    static ReplicaLag checkReplica(Connection &primary, Connection &replica);
};

} // namespace rollup
