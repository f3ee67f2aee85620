#pragma once

#include "core/localdate.h"
#include "core/zoneresolver.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace rollup {

class Connection;

struct AccountRow
{
    qint64 id = 0;
    QString name;
    bool settingsNull = false;
    QJsonValue storedTimezone{QJsonValue::Undefined}; // undefined when the key is absent
    qint64 featureFlags = 0;
    ZoneResolution zone() const { return ZoneResolver::resolve(storedTimezone); }
    QString storedTimezoneText() const; // raw, as stored (JSON text for non-strings), "" when absent
};

struct EventSpan
{
    std::optional<SysMicros> first;
    std::optional<SysMicros> last;
};

struct RollupCoverage
{
    qint64 rows = 0;
    std::optional<date::local_days> first;
    std::optional<date::local_days> last;
    qint64 days = 0;
};

// Reads accounts; every method runs in the calling thread on `connection` and throws DbError.
class AccountRepository
{
public:
    explicit AccountRepository(Connection &connection) : m_connection(connection) {}

    QList<AccountRow> list();
    std::optional<AccountRow> find(qint64 accountId);
    EventSpan eventSpan(qint64 accountId);
    qint64 countEvents(qint64 accountId, SysSeconds fromUtc, SysSeconds toUtc);
    RollupCoverage rollupCoverage(qint64 accountId);
    // Names for ids in users / inboxes (missing ids are left out).
    QMap<qint64, QString> userNames(const QList<qint64> &ids);
    QMap<qint64, QString> inboxNames(const QList<qint64> &ids);

private:
    Connection &m_connection;
};

} // namespace rollup
