#include "db/accountrepository.h"

#include "core/daywindow.h"
#include "db/accountaudit.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupsql.h"

#include <QJsonArray>

#include <QJsonDocument>
#include <algorithm>

namespace rollup {

namespace {

const QString kSelectAccounts
    = QStringLiteral("SELECT id, name, settings IS NULL, (settings -> 'reporting_timezone')::text, feature_flags FROM accounts");

// settings -> 'reporting_timezone' as JSON text (NULL when absent) -> QJsonValue (undefined when absent).
QJsonValue jsonValue(const QVariant &text)
{
    if (text.isNull())
        return QJsonValue(QJsonValue::Undefined);
    const QByteArray json = "[" + text.toString().toUtf8() + "]";
    return QJsonDocument::fromJson(json).array().at(0);
}

AccountRow readAccount(const QSqlQuery &q)
{
    AccountRow a;
    a.id = q.value(0).toLongLong();
    a.name = q.value(1).toString();
    a.settingsNull = q.value(2).toBool();
    a.storedTimezone = jsonValue(q.value(3));
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

QList<qint64> AccountRepository::ids()
{
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT id FROM accounts ORDER BY id"), {}, tr("listing accounts"));
    QList<qint64> out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

QList<AccountRow> AccountRepository::list()
{
    QSqlQuery q = m_connection.run(kSelectAccounts + QStringLiteral(" ORDER BY id"), {}, tr("listing accounts"));
    QList<AccountRow> out;
    while (q.next())
        out.append(readAccount(q));
    return out;
}

std::optional<AccountRow> AccountRepository::find(qint64 accountId)
{
    QSqlQuery q = m_connection.run(kSelectAccounts + QStringLiteral(" WHERE id = ?"), {accountId},
                                   tr("reading account %1").arg(accountId));
    if (!q.next())
        return std::nullopt;
    return readAccount(q);
}

namespace {

// First and last created_at of one account (`%1` is the account id expression) from index ends
// only, on (account_id, name, created_at): a loose index scan walks the account's event groups
// downwards, one index descent each, and the descent that finds a group lands on its last
// created_at. The first descent finds the last entry of the account: the events without a name
// when there are any (they sort last), then each name below the one before. One more descent per
// group found lands on its first created_at. That is 2G + 1 descents for G groups, whatever the
// number of events. Every ORDER BY spells out the index's own columns, so no other index (on name
// or created_at alone, which hold every account's entries) can serve it.
QString spanProbe(const QString &account)
{
    const QString last = QStringLiteral("ORDER BY r.account_id DESC, r.name DESC, r.created_at DESC LIMIT 1");
    const QString first = QStringLiteral("ORDER BY r.account_id, r.name, r.created_at LIMIT 1");
    return QStringLiteral(
               "WITH RECURSIVE dn(name, at) AS ("
               "(SELECT r.name, r.created_at FROM reporting_events r WHERE r.account_id = %1 %2) "
               "UNION ALL SELECT s.name, s.at FROM dn CROSS JOIN LATERAL ("
               "(SELECT r.name, r.created_at AS at FROM reporting_events r WHERE r.account_id = %1 AND r.name IS NOT NULL "
               "AND dn.name IS NULL %2) "
               "UNION ALL (SELECT r.name, r.created_at AS at FROM reporting_events r WHERE r.account_id = %1 "
               "AND r.name < dn.name %2)) s) "
               "SELECT least((SELECT min((SELECT r.created_at FROM reporting_events r WHERE r.account_id = %1 "
               "AND r.name = dn.name %3)) FROM dn WHERE dn.name IS NOT NULL), "
               "(SELECT (SELECT r.created_at FROM reporting_events r WHERE r.account_id = %1 AND r.name IS NULL %3) "
               "FROM dn WHERE dn.name IS NULL)) AS f, (SELECT max(dn.at) FROM dn) AS l")
        .arg(account, last, first);
}

} // namespace

EventSpan AccountRepository::eventSpan(qint64 accountId)
{
    // The statistics' span probe alone (planning reads no rollup row, so a lock on the rollups
    // table does not hold it up). The id comes from unnest(): not a constant the planner could
    // weigh, so the plan is the per-account one even for an account that holds most of the
    // table (where an index on name alone, holding every account's entries, would otherwise win).
    QSqlQuery q
        = m_connection.run(QStringLiteral("SELECT s.f::text, s.l::text FROM unnest(?::int[]) AS a(id) CROSS JOIN LATERAL (%1) s")
                               .arg(spanProbe(QStringLiteral("a.id"))),
                           {idArray({accountId})}, tr("reading the account's first and last event"));
    EventSpan span;
    if (q.next()) {
        span.first = timestampValue(q.value(0));
        span.last = timestampValue(q.value(1));
    }
    return span;
}

namespace {

// The count of one account's events with `%1` (a condition on r.created_at over b.lo and b.hi),
// from its entries of (account_id, name, created_at): one range per event name (CTE n, a loose
// index scan of the names upwards) and one for the events without a name. The bounds come from
// CTE b, not from constants: weighed as constants, a bound before most of the table's events
// would make index_reporting_events_on_created_at (every account's entries) look cheaper. The
// id comes from unnest() for the reason eventSpan gives.
QString rangeCount(const QString &condition)
{
    return QStringLiteral(
               "((SELECT coalesce(sum((SELECT count(*) FROM reporting_events r WHERE r.account_id = a.id "
               "AND r.name = n.name AND %1)), 0) FROM n, b WHERE n.name IS NOT NULL) "
               "+ (SELECT (SELECT count(*) FROM reporting_events r WHERE r.account_id = a.id AND r.name IS NULL AND %1) "
               "FROM b))")
        .arg(condition);
}

} // namespace

qint64 AccountRepository::countEvents(qint64 accountId, SysSeconds fromUtc, SysSeconds toUtc, const EventSpan &span)
{
    // Counting the range reads each of its entries. When the range holds most of the account's
    // span (a default range: the first event's day to yesterday), all of the account's entries of
    // index_reporting_events_on_account_id, the narrowest index, less those before and after the
    // range cost less to read (docs/performance.md has the figures). Either way the count is exact.
    bool complement = false;
    if (span.first && span.last && *span.last > *span.first) {
        const SysMicros from{fromUtc}, to{toUtc};
        const auto covered = std::min(to, *span.last) - std::max(from, *span.first);
        complement = covered * 2 >= *span.last - *span.first;
    }
    const QString count
        = complement
              ? QStringLiteral("(SELECT count(*) FROM reporting_events r WHERE r.account_id = a.id) - %1 - %2")
                    .arg(rangeCount(QStringLiteral("r.created_at < b.lo")), rangeCount(QStringLiteral("r.created_at >= b.hi")))
              : rangeCount(QStringLiteral("r.created_at >= b.lo AND r.created_at < b.hi"));
    QSqlQuery q = m_connection.run(
        QStringLiteral("SELECT c.n FROM unnest(ARRAY[?::int]) AS a(id) CROSS JOIN LATERAL ("
                       "WITH RECURSIVE n(name) AS ("
                       "(SELECT r.name FROM reporting_events r WHERE r.account_id = a.id AND r.name IS NOT NULL "
                       "ORDER BY r.account_id, r.name LIMIT 1) "
                       "UNION ALL SELECT (SELECT r.name FROM reporting_events r WHERE r.account_id = a.id AND r.name > n.name "
                       "ORDER BY r.account_id, r.name LIMIT 1) FROM n WHERE n.name IS NOT NULL), "
                       "b(lo, hi) AS (SELECT ?::timestamp, ?::timestamp) "
                       "SELECT (%1)::bigint AS n) c")
            .arg(count),
        {accountId, formatUtcMicros(SysMicros{fromUtc}), formatUtcMicros(SysMicros{toUtc})}, tr("counting events"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

RollupCoverage AccountRepository::rollupCoverage(qint64 accountId)
{
    RollupCoverage c;
    RollupSql::readAccountRows(m_connection,
                               QStringLiteral("SELECT count(*), min(date)::text, max(date)::text, count(DISTINCT date) FROM "
                                              "reporting_events_rollups WHERE account_id = ?"),
                               {accountId}, tr("reading rollup coverage"), [&c](QSqlQuery &q) {
                                   if (!q.next())
                                       return;
                                   c.rows = q.value(0).toLongLong();
                                   if (!q.value(1).isNull())
                                       c.first = parseLocalDate(q.value(1).toString());
                                   if (!q.value(2).isNull())
                                       c.last = parseLocalDate(q.value(2).toString());
                                   c.days = q.value(3).toLongLong();
                               });
    return c;
}

QHash<qint64, AccountStats> AccountRepository::stats(const QList<qint64> &accountIds)
{
    // Per account: the event span's index ends (spanProbe) and the first and last date of the
    // rollup unique key (account_id, date, ...). Index probes only: the cost grows with the
    // number of accounts and event names, never with the number of events or rollup rows.
    if (!m_stats)
        m_stats = m_connection.prepare(QStringLiteral("SELECT a.id, s.f::text, s.l::text, "
                                                      "(SELECT u.date FROM reporting_events_rollups u WHERE u.account_id = a.id "
                                                      "ORDER BY u.account_id, u.date LIMIT 1)::text, "
                                                      "(SELECT u.date FROM reporting_events_rollups u WHERE u.account_id = a.id "
                                                      "ORDER BY u.account_id DESC, u.date DESC LIMIT 1)::text "
                                                      "FROM unnest(?::int[]) AS a(id) CROSS JOIN LATERAL (%1) s")
                                           .arg(spanProbe(QStringLiteral("a.id"))),
                                       tr("reading account statistics"));
    QSqlQuery &q = *m_stats;
    m_connection.run(q, {idArray(accountIds)}, tr("reading account statistics"));
    QHash<qint64, AccountStats> out;
    while (q.next()) {
        AccountStats s;
        s.accountId = q.value(0).toLongLong();
        s.events.first = timestampValue(q.value(1));
        s.events.last = timestampValue(q.value(2));
        if (!q.value(3).isNull())
            s.rollups.first = parseLocalDate(q.value(3).toString());
        if (!q.value(4).isNull())
            s.rollups.last = parseLocalDate(q.value(4).toString());
        s.rollups.rows = -1; // not counted: that would read every rollup row
        s.rollups.days = -1;
        if (s.events.first || s.rollups.first)
            out.insert(s.accountId, s);
    }
    return out;
}

QHash<qint64, qint64> AccountRepository::eventCounts(const QList<qint64> &accountIds)
{
    QSqlQuery q = m_connection.run(
        QStringLiteral(
            "SELECT a.id, (SELECT count(*) FROM reporting_events r WHERE r.account_id = a.id) FROM unnest(?::int[]) AS a(id)"),
        {idArray(accountIds)}, tr("counting events per account"));
    QHash<qint64, qint64> out;
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    return out;
}

std::optional<QJsonValue> AccountRepository::writeTimezone(qint64 accountId, const QString &updateSql, const QVariantList &values,
                                                           const QString &newText, AccountChange *change)
{
    AccountChange local;
    AccountChange &written = change ? *change : local;
    written = AccountChange{};
    AccountAudit audit(m_connection);
    AccountAudit::beginAccountWrite(m_connection);
    try {
        QSqlQuery old = m_connection.run(
            QStringLiteral(
                "SELECT (settings -> 'reporting_timezone')::text, settings::text FROM accounts WHERE id = ? FOR UPDATE"),
            {accountId}, tr("locking account %1").arg(accountId));
        if (!old.next()) {
            m_connection.rollback();
            return std::nullopt;
        }
        const QJsonValue previous = jsonValue(old.value(0));
        const QVariant oldSettings = old.value(1); // NULL when settings is NULL
        // The audit comment is data in Chatwoot's database, in the words of its other comments:
        // never translated. A stored value that is not a string is shown as its JSON text.
        const QString oldText = previous.isUndefined() ? QStringLiteral("(not set)")
                                : previous.isString()  ? previous.toString()
                                                       : old.value(0).toString();
        written.comment = QStringLiteral("reporting_timezone %1 -> %2")
                              .arg(oldText, newText.isEmpty() ? QStringLiteral("(not set)") : newText);
        QSqlQuery update = m_connection.run(updateSql + QStringLiteral(" RETURNING settings::text"), values,
                                            tr("writing reporting_timezone of account %1").arg(accountId));
        if (!update.next())
            throw DbError(tr("account %1: no row updated, expected 1").arg(accountId));
        const QVariant newSettings = update.value(0);
        if (newSettings.isNull() == oldSettings.isNull() && newSettings.toString() == oldSettings.toString()) {
            m_connection.rollback(); // jsonb text is canonical: equal text, equal value; nothing changed
            return previous;
        }
        written.changed = true;
        audit.recordUpdate(accountId, QStringLiteral("jsonb_build_object('settings', jsonb_build_array(?::jsonb, ?::jsonb))"),
                           {oldSettings, newSettings}, &written);
        m_connection.commit();
        return previous;
    } catch (...) {
        m_connection.rollback();
        written = AccountChange{};
        throw;
    }
}

std::optional<QJsonValue> AccountRepository::setTimezone(qint64 accountId, const QString &ianaId, AccountChange *change)
{
    // Any TZInfo identifier of this machine's tz database ("UTC" is one too, although ActiveSupport
    // reads it as the Rails name for Etc/UTC); never a Rails-only name or a wrong-case id.
    const QStringList &ids = ZoneResolver::zoneIds();
    if (!std::binary_search(ids.cbegin(), ids.cend(), ianaId))
        throw DbError(tr("refusing to write '%1': not an IANA zone id (%2)")
                          .arg(ianaId.left(60), ZoneResolver::resolveName(ianaId).describe()));
    return writeTimezone(
        accountId,
        QStringLiteral("UPDATE accounts SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{reporting_timezone}', "
                       "to_jsonb(?::text)), updated_at = now() AT TIME ZONE 'UTC' WHERE id = ?"),
        {ianaId, accountId}, ianaId, change);
}

std::optional<QJsonValue> AccountRepository::clearTimezone(qint64 accountId, AccountChange *change)
{
    return writeTimezone(accountId,
                         QStringLiteral("UPDATE accounts SET settings = settings - 'reporting_timezone', "
                                        "updated_at = now() AT TIME ZONE 'UTC' WHERE id = ?"),
                         {accountId}, QString(), change);
}

QMap<qint64, QString> AccountRepository::userNames(const QList<qint64> &ids)
{
    QMap<qint64, QString> out;
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT id, name FROM users WHERE id = ANY(?::bigint[])"), {idArray(ids)},
                                   tr("reading agent names"));
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toString());
    return out;
}

QMap<qint64, QString> AccountRepository::inboxNames(const QList<qint64> &ids)
{
    QMap<qint64, QString> out;
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT id, name FROM inboxes WHERE id = ANY(?::bigint[])"), {idArray(ids)},
                                   tr("reading inbox names"));
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toString());
    return out;
}

} // namespace rollup
