#include "db/accountaudit.h"

#include "core/identity.h"
#include "db/connection.h"

#include <QSqlDriver>
#include <QUuid>

namespace rollup {

namespace {

// The dynamic property that keeps available()'s answer on the connection's driver object,
// which lives exactly as long as the connection.
constexpr const char *kAvailableProperty = "rollupConsoleAuditsTable";

// Every column recordUpdate() writes.
const QStringList &auditColumns()
{
    static const QStringList columns
        = {QStringLiteral("auditable_id"),    QStringLiteral("auditable_type"), QStringLiteral("associated_id"),
           QStringLiteral("associated_type"), QStringLiteral("username"),       QStringLiteral("action"),
           QStringLiteral("audited_changes"), QStringLiteral("version"),        QStringLiteral("comment"),
           QStringLiteral("request_uuid"),    QStringLiteral("created_at")};
    return columns;
}

} // namespace

bool AccountAudit::available()
{
    QSqlDriver *driver = m_connection.db().driver();
    if (driver) {
        const QVariant known = driver->property(kAvailableProperty);
        if (known.isValid())
            return known.toBool();
    }
    QSqlQuery q = m_connection.run(
        QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass('audits') AND attnum > 0 "
                       "AND NOT attisdropped AND attname = ANY(?::text[])"),
        {pgArray(auditColumns())}, tr("looking for Chatwoot's audits table"));
    const bool found = q.next() && q.value(0).toLongLong() == auditColumns().size();
    if (driver)
        driver->setProperty(kAvailableProperty, found);
    return found;
}

void AccountAudit::beginAccountWrite(Connection &connection)
{
    connection.begin();
    try {
        // A utility statement: it cannot be prepared, and it holds no value.
        connection.runScript(QStringLiteral("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"), tr("starting the account write"));
    } catch (...) {
        connection.rollback();
        throw;
    }
}

void AccountAudit::recordUpdate(qint64 accountId, const QString &changesSql, const QVariantList &changesValues,
                                AccountChange *change)
{
    if (!available())
        return;
    const QString requestUuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // The version as the audited gem computes it (the account's highest + 1, 1 for the first),
    // in this statement's snapshot: taken after the caller's row lock, so it includes the audit
    // row of any writer that held the lock before.
    QVariantList values{accountId, accountId, username()};
    values += changesValues;
    values += QVariantList{change->comment, requestUuid, accountId};
    QSqlQuery q = m_connection.run(
        QStringLiteral("INSERT INTO audits (auditable_id, auditable_type, associated_id, associated_type, user_id, user_type, "
                       "username, action, audited_changes, version, comment, remote_address, request_uuid, created_at) "
                       "SELECT ?::bigint, 'Account', ?::bigint, 'Account', NULL, NULL, ?, 'update', %1, "
                       "COALESCE(max(a.version), 0) + 1, ?, NULL, ?, now() AT TIME ZONE 'UTC' "
                       "FROM audits a WHERE a.auditable_type = 'Account' AND a.auditable_id = ?::bigint "
                       "RETURNING version")
            .arg(changesSql),
        values, tr("writing the audit row of account %1").arg(accountId));
    if (q.next()) {
        change->auditVersion = q.value(0).toInt();
        change->requestUuid = requestUuid;
    }
}

QString AccountAudit::username()
{
    return QStringLiteral("rollup-console: %1").arg(Identity::userAtHost());
}

} // namespace rollup
