#include "db/accountrepository.h"

#include "db/connection.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rollup {

namespace {

const QString kSelectAccounts = QStringLiteral(
    "SELECT id, name, settings IS NULL, (settings -> 'reporting_timezone')::text, feature_flags FROM accounts");

AccountRow readAccount(const QSqlQuery &q)
{
    AccountRow a;
    a.id = q.value(0).toLongLong();
    a.name = q.value(1).toString();
    a.settingsNull = q.value(2).toBool();
    if (!q.value(3).isNull()) {
        const QByteArray json = "[" + q.value(3).toString().toUtf8() + "]";
        a.storedTimezone = QJsonDocument::fromJson(json).array().at(0);
    }
    a.featureFlags = q.value(4).toLongLong();
    return a;
}

std::optional<SysMicros> timestampValue(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return parseUtcTimestamp(v.toString());
}

QString idArray(const QList<qint64> &ids)
{
    QStringList items;
    for (qint64 id : ids)
        items << QString::number(id);
    return pgArray(items);
}

} // namespace

QString AccountRow::storedTimezoneText() const
{
    if (storedTimezone.isUndefined())
        return {};
    if (storedTimezone.isString())
        return storedTimezone.toString();
    return ZoneResolver::resolve(storedTimezone).stored;
}

QList<AccountRow> AccountRepository::list()
{
    QSqlQuery q = m_connection.run(kSelectAccounts + QStringLiteral(" ORDER BY id"), {}, QStringLiteral("listing accounts"));
    QList<AccountRow> out;
    while (q.next())
        out.append(readAccount(q));
    return out;
}

std::optional<AccountRow> AccountRepository::find(qint64 accountId)
{
    QSqlQuery q = m_connection.run(kSelectAccounts + QStringLiteral(" WHERE id = ?"), {accountId},
                                   QStringLiteral("reading account %1").arg(accountId));
    if (!q.next())
        return std::nullopt;
    return readAccount(q);
}

EventSpan AccountRepository::eventSpan(qint64 accountId)
{
    // Two index probes (index_reporting_events_on_created_at / account_id) instead of a scan.
    QSqlQuery q = m_connection.run(
        QStringLiteral("SELECT (SELECT created_at::text FROM reporting_events WHERE account_id = ? ORDER BY created_at LIMIT 1), "
                       "(SELECT created_at::text FROM reporting_events WHERE account_id = ? ORDER BY created_at DESC LIMIT 1)"),
        {accountId, accountId}, QStringLiteral("reading the event range"));
    EventSpan span;
    if (q.next()) {
        span.first = timestampValue(q.value(0));
        span.last = timestampValue(q.value(1));
    }
    return span;
}

qint64 AccountRepository::countEvents(qint64 accountId, SysSeconds fromUtc, SysSeconds toUtc)
{
    QSqlQuery q = m_connection.run(
        QStringLiteral("SELECT count(*) FROM reporting_events WHERE account_id = ? AND created_at >= ?::timestamp AND created_at < ?::timestamp"),
        {accountId, formatUtcMicros(SysMicros{fromUtc}), formatUtcMicros(SysMicros{toUtc})},
        QStringLiteral("counting events"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

RollupCoverage AccountRepository::rollupCoverage(qint64 accountId)
{
    QSqlQuery q = m_connection.run(
        QStringLiteral("SELECT count(*), min(date)::text, max(date)::text, count(DISTINCT date) FROM reporting_events_rollups WHERE account_id = ?"),
        {accountId}, QStringLiteral("reading rollup coverage"));
    RollupCoverage c;
    if (q.next()) {
        c.rows = q.value(0).toLongLong();
        if (!q.value(1).isNull())
            c.first = parseLocalDate(q.value(1).toString());
        if (!q.value(2).isNull())
            c.last = parseLocalDate(q.value(2).toString());
        c.days = q.value(3).toLongLong();
    }
    return c;
}

QMap<qint64, QString> AccountRepository::userNames(const QList<qint64> &ids)
{
    QMap<qint64, QString> out;
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT id, name FROM users WHERE id = ANY(?::bigint[])"), {idArray(ids)},
                                   QStringLiteral("reading agent names"));
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toString());
    return out;
}

QMap<qint64, QString> AccountRepository::inboxNames(const QList<qint64> &ids)
{
    QMap<qint64, QString> out;
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT id, name FROM inboxes WHERE id = ANY(?::bigint[])"), {idArray(ids)},
                                   QStringLiteral("reading inbox names"));
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toString());
    return out;
}

} // namespace rollup
