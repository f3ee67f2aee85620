#include "db/featureflags.h"

#include "db/connection.h"
#include "db/dberror.h"

#include <QSettings>

namespace rollup {

namespace {
bool validBit(int bit) { return bit >= 0 && bit <= 62; }
} // namespace

int FeatureFlags::reportRollupBit()
{
    bool ok = false;
    const int bit = QSettings().value(QLatin1String(kReportRollupBitKey), kDefaultReportRollupBit).toInt(&ok);
    return ok && validBit(bit) ? bit : kDefaultReportRollupBit;
}

void FeatureFlags::setReportRollupBit(int bit)
{
    QSettings().setValue(QLatin1String(kReportRollupBitKey), bit);
}

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
    if (!validBit(bit))
        throw DbError(tr("feature flag bit %1 is outside 0..62").arg(bit));
    QSqlQuery q = m_connection.run(
        QStringLiteral("UPDATE accounts SET feature_flags = feature_flags | ?::bigint WHERE id = ? RETURNING feature_flags"),
        {mask(bit), accountId}, tr("enabling feature flag bit %1").arg(bit));
    if (!q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

} // namespace rollup
