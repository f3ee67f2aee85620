#include "db/featureflags.h"

#include "db/accountaudit.h"
#include "db/connection.h"
#include "db/dberror.h"

#include "core/featurebits.h"

namespace rollup {

std::optional<qint64> FeatureFlags::read(qint64 accountId)
{
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = ?"), {accountId},
                                   tr("reading feature flags"));
    if (!q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<qint64> FeatureFlags::enable(qint64 accountId, int bit, const QString &feature, qint64 *before,
                                           AccountChange *change)
{
    if (!FeatureBits::valid(bit))
        throw DbError(tr("feature flag bit %1 is outside 0..62").arg(bit));
    AccountChange local;
    AccountChange &written = change ? *change : local;
    written = AccountChange{};
    AccountAudit audit(m_connection);
    AccountAudit::beginAccountWrite(m_connection);
    try {
        QSqlQuery old = m_connection.run(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = ? FOR UPDATE"),
                                         {accountId}, tr("locking account %1").arg(accountId));
        if (!old.next()) {
            m_connection.rollback();
            return std::nullopt;
        }
        const qint64 was = old.value(0).toLongLong();
        if (before)
            *before = was;
        if (FeatureBits::isSet(was, bit)) {
            m_connection.rollback(); // already on: nothing to write
            return was;
        }
        QSqlQuery q
            = m_connection.run(QStringLiteral("UPDATE accounts SET feature_flags = feature_flags | ?::bigint, "
                                              "updated_at = now() AT TIME ZONE 'UTC' WHERE id = ? RETURNING feature_flags"),
                               {FeatureBits::mask(bit), accountId}, tr("enabling feature flag bit %1").arg(bit));
        if (!q.next())
            throw DbError(tr("account %1: no row updated, expected 1").arg(accountId));
        const qint64 after = q.value(0).toLongLong();
        written.changed = true;
        // Data in Chatwoot's database: never translated.
        written.comment
            = feature.isEmpty()
                  ? QStringLiteral("feature_flags %1 -> %2 (bit %3 on)").arg(was).arg(after).arg(bit)
                  : QStringLiteral("feature_flags %1 -> %2 (%3 on, bit %4)").arg(was).arg(after).arg(feature).arg(bit);
        audit.recordUpdate(accountId,
                           QStringLiteral("jsonb_build_object('feature_flags', jsonb_build_array(?::bigint, ?::bigint))"),
                           {was, after}, &written);
        m_connection.commit();
        return after;
    } catch (...) {
        m_connection.rollback();
        written = AccountChange{};
        throw;
    }
}

} // namespace rollup
