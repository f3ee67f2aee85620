#include "jobs/connectioncheck.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"
#include "db/serverstatus.h"

#include <QCoreApplication>
#include <QThread>

namespace rollup {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectionCheck", text);
}
} // namespace

ConnectionTest ConnectionCheck::run(const JobContext &context)
{
    ConnectionTest result;
    try {
        const std::unique_ptr<Connection> connection = context.connect();
        result.serverVersion = connection->serverVersion();
        result.ssl = connection->sslDescription();
        result.throughProxy = connection->throughProxy();
        try {
            ServerStatus::requirePrimary(*connection);
        } catch (const DbError &e) {
            if (e.sqlState() != QLatin1String("25006"))
                throw;
            result.inRecovery = true;
            result.writeRefusal = e.message();
        }
        result.schemaProblem = Schema::checkMessage(*connection);
        result.ok = true;
        QString text = tr("Connected: PostgreSQL %1, %2").arg(result.serverVersion, result.ssl);
        if (result.throughProxy)
            text += tr(", through a pool that keeps one server session per connection");
        if (result.inRecovery)
            text += tr(", a standby in recovery (read-only: writes are refused)");
        if (context.settings().readOnly)
            text += tr(", read-only session");
        text += result.schemaProblem.isEmpty() ? tr("; Chatwoot tables found") : tr("; schema: %1").arg(result.schemaProblem);
        result.message = text;
    } catch (const DbError &e) {
        result.message = e.message();
    }
    return result;
}

Job<ConnectionTest> ConnectionCheck::start(const ConnectionSettings &settings)
{
    return Jobs::start<ConnectionTest>(settings, [](JobContext &context) { return run(context); });
}

QString ReplicaTest::describe() const
{
    return QCoreApplication::translate("ReplicaTest", "primary %1 (writes, lock) · replica %2 (planning and verify reads), %3")
        .arg(primary, replica, lag.describe());
}

ReplicaLag ConnectionCheck::checkReplica(Connection &primary, Connection &replica)
{
    ReplicaLag lag;
    lag.server = replica.settings().toDisplayString();
    if (!ServerStatus::inRecovery(replica))
        throw DbError(tr("the replica %1 is not a standby in recovery: verify and planning would read another database than the "
                         "primary's; give a streaming replica of the primary, or no replica")
                          .arg(lag.server));
    if (ServerStatus::systemIdentifier(replica) != ServerStatus::systemIdentifier(primary))
        throw DbError(tr("the replica %1 is not a standby of the primary %2 (their system identifiers differ)")
                          .arg(lag.server, primary.settings().toDisplayString()));
    // A primary that is itself a standby (cascading) has no WAL position of its own to compare.
    const QString lsn = ServerStatus::inRecovery(primary) ? QString() : ServerStatus::currentWalLsn(primary);
    for (int waitMs : {0, 25, 50, 100, 200, 400}) {
        QThread::msleep(waitMs);
        const ServerStatus::Replay replay = ServerStatus::replay(replica, lsn.isEmpty() ? QStringLiteral("0/0") : lsn);
        lag.seconds = replay.seconds;
        lag.caughtUp = !lsn.isEmpty() && replay.reached;
        if (lag.caughtUp || lsn.isEmpty())
            break;
    }
    return lag;
}

ReplicaTest ConnectionCheck::replica(const JobContext &context)
{
    ReplicaTest result;
    if (!context.settings().hasReplica()) {
        result.ok = true;
        return result;
    }
    try {
        const JobContext reads = context.forReads();
        result.primary = context.settings().toDisplayString();
        result.replica = reads.settings().toDisplayString();
        const std::unique_ptr<Connection> primary = context.connect();
        const std::unique_ptr<Connection> replica = reads.connect();
        result.lag = checkReplica(*primary, *replica);
        result.ok = true;
    } catch (const DbError &e) {
        result.error = e.message();
    }
    return result;
}

Job<ReplicaTest> ConnectionCheck::startReplica(const ConnectionSettings &settings)
{
    return Jobs::start<ReplicaTest>(settings, [](JobContext &context) { return replica(context); });
}

} // namespace rollup
