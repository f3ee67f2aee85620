#include "core/healthstore.h"

#include "core/statedirectory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

namespace rollup {

namespace {

QJsonObject toJson(const AccountHealth &h)
{
    QJsonObject o{{QStringLiteral("checked_at"), h.checkedAt.toUTC().toString(Qt::ISODate)},
                  {QStringLiteral("keys"), h.summary.keys},
                  {QStringLiteral("match"), h.summary.matches},
                  {QStringLiteral("mismatch"), h.summary.mismatches},
                  {QStringLiteral("missing"), h.summary.missing},
                  {QStringLiteral("extra"), h.summary.extra},
                  {QStringLiteral("differing_days"), h.summary.daysWithDifferences},
                  {QStringLiteral("first_day"), h.firstDay},
                  {QStringLiteral("last_day"), h.lastDay},
                  {QStringLiteral("whole_history"), h.wholeHistory}};
    if (!h.error.isEmpty())
        o.insert(QStringLiteral("error"), h.error);
    return o;
}

AccountHealth fromJson(qint64 accountId, const QJsonObject &o)
{
    AccountHealth h;
    h.accountId = accountId;
    h.checkedAt = QDateTime::fromString(o.value(QStringLiteral("checked_at")).toString(), Qt::ISODate);
    h.summary.keys = o.value(QStringLiteral("keys")).toInteger();
    h.summary.matches = o.value(QStringLiteral("match")).toInteger();
    h.summary.mismatches = o.value(QStringLiteral("mismatch")).toInteger();
    h.summary.missing = o.value(QStringLiteral("missing")).toInteger();
    h.summary.extra = o.value(QStringLiteral("extra")).toInteger();
    h.summary.daysWithDifferences = o.value(QStringLiteral("differing_days")).toInteger();
    h.firstDay = o.value(QStringLiteral("first_day")).toString();
    h.lastDay = o.value(QStringLiteral("last_day")).toString();
    h.wholeHistory = o.value(QStringLiteral("whole_history")).toBool();
    h.error = o.value(QStringLiteral("error")).toString();
    return h;
}

QJsonObject readAccounts(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("accounts")).toObject();
}

} // namespace

QString HealthStore::defaultPath(const ConnectionSettings &settings)
{
    return StateDirectory::path(QStringLiteral("health")) + QLatin1Char('/') + StateDirectory::databaseKey(settings)
           + QStringLiteral(".json");
}

QHash<qint64, AccountHealth> HealthStore::load() const
{
    QHash<qint64, AccountHealth> result;
    const QJsonObject accounts = readAccounts(m_path);
    result.reserve(accounts.size());
    for (auto it = accounts.begin(); it != accounts.end(); ++it) {
        bool ok = false;
        const qint64 id = it.key().toLongLong(&ok);
        if (ok && it.value().isObject())
            result.insert(id, fromJson(id, it.value().toObject()));
    }
    return result;
}

bool HealthStore::record(const QList<AccountHealth> &results, QString *error) const
{
    if (results.isEmpty())
        return true;
    QLockFile lock(m_path + QStringLiteral(".lock"));
    lock.setStaleLockTime(30000);
    if (!lock.tryLock(10000)) {
        if (error)
            *error = QStringLiteral("%1: another console holds its lock").arg(m_path);
        return false;
    }
    QJsonObject accounts = readAccounts(m_path);
    for (const AccountHealth &h : results)
        accounts.insert(QString::number(h.accountId), toJson(h));
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(m_path, out.errorString());
        return false;
    }
    out.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("accounts"), accounts}})
                  .toJson(QJsonDocument::Compact));
    if (!out.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(m_path, out.errorString());
        return false;
    }
    return true;
}

} // namespace rollup
