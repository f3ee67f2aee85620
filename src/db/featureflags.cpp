#include "db/featureflags.h"

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

std::optional<qint64> FeatureFlags::enable(qint64 accountId, int bit)
{
    if (!FeatureBits::valid(bit))
        throw DbError(tr("feature flag bit %1 is outside 0..62").arg(bit));
    QSqlQuery q = m_connection.run(
        QStringLiteral("UPDATE accounts SET feature_flags = feature_flags | ?::bigint WHERE id = ? RETURNING feature_flags"),
        {FeatureBits::mask(bit), accountId}, tr("enabling feature flag bit %1").arg(bit));
    if (!q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

} // namespace rollup
