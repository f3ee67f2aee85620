#pragma once

#include "core/account.h"
#include "core/accountchange.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <optional>

namespace rollup {

class Connection;

// Reads and edits accounts; every method runs in the calling thread on `connection` and throws
// DbError (nothing written when a write method throws). Every value is bound.
class AccountRepository
{
    Q_DECLARE_TR_FUNCTIONS(AccountRepository)

public:
    explicit AccountRepository(Connection &connection) : m_connection(connection) { }

    QList<AccountRow> list();
    QList<qint64> ids(); // every account's id, in order
    std::optional<AccountRow> find(qint64 accountId);
    // First and last created_at, from index ends only.
    EventSpan eventSpan(qint64 accountId);
    // Events with created_at in [fromUtc, toUtc): an index-only count of this account's entries.
    // `span`, the account's first and last event when known, lets a range that holds most of it
    // be counted as the account's events less those outside (fewer entries to read).
    qint64 countEvents(qint64 accountId, SysSeconds fromUtc, SysSeconds toUtc, const EventSpan &span = {});
    // Rows, days and first/last date of the account's rollups (an index-only count of its own).
    RollupCoverage rollupCoverage(qint64 accountId);
    // Events of each given account: an index-only count of that account's entries of
    // index_reporting_events_on_account_id, one account at a time (accounts without events: 0).
    QHash<qint64, qint64> eventCounts(const QList<qint64> &accountIds);
    // First/last event and first/last rollup date of the given accounts in one statement of
    // index probes (never an aggregate over a table); rollups.rows/days are -1 (not counted).
    // Accounts with neither rollups nor events are absent from the result. The statement is
    // prepared on the first call and executed again by the next ones on this repository.
    QHash<qint64, AccountStats> stats(const QList<qint64> &accountIds);

    // Sets settings.reporting_timezone to `ianaId` with the single statement
    //   UPDATE accounts SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{reporting_timezone}',
    //       to_jsonb(?::text)), updated_at = now() AT TIME ZONE 'UTC' WHERE id = ?
    // so every other settings key (also one written concurrently) survives and NULL settings work.
    // One READ COMMITTED transaction (AccountAudit::beginAccountWrite): the row is locked
    // (SELECT ... FOR UPDATE) to read the old value, updated, and, when the database has
    // Chatwoot's `audits` table, the audit row {"settings": [old, new]} is written
    // (AccountAudit::recordUpdate). When settings come out unchanged (the zone was already
    // stored), the transaction is rolled back: nothing written, like an ActiveRecord save
    // without changes. Returns the old value (undefined when the key was absent or settings
    // NULL); nullopt when the account does not exist (nothing written). `change`, when given,
    // says what was written. Throws DbError when `ianaId` is not an IANA zone id of this
    // machine's tz database (nothing written) and on any database error (e.g. 25006 on a
    // read-only connection; nothing written, no audit row).
    std::optional<QJsonValue> setTimezone(qint64 accountId, const QString &ianaId, AccountChange *change = nullptr);
    // Removes the key (settings - 'reporting_timezone'); same contract as setTimezone().
    std::optional<QJsonValue> clearTimezone(qint64 accountId, AccountChange *change = nullptr);
    // Names for ids in users / inboxes (missing ids are left out).
    QMap<qint64, QString> userNames(const QList<qint64> &ids);
    QMap<qint64, QString> inboxNames(const QList<qint64> &ids);

private:
    std::optional<QJsonValue> writeTimezone(qint64 accountId, const QString &updateSql, const QVariantList &values,
                                            const QString &newText, AccountChange *change);
    Connection &m_connection;
    std::optional<QSqlQuery> m_stats; // prepared by the first stats() call
};

} // namespace rollup
