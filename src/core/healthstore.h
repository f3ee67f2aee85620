#pragma once

#include "core/comparison.h"
#include "core/connectionsettings.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace rollup {

// The last verify of one account, as the health board shows it.
struct AccountHealth
{
    qint64 accountId = 0;
    QDateTime checkedAt; // UTC
    CompareSummary summary;
    QString firstDay; // the range compared, ISO dates
    QString lastDay;
    bool wholeHistory = false; // the account's default range (a fleet verify always is)
    QString error; // the verify failed: one line (summary then empty)

    bool clean() const { return error.isEmpty() && summary.clean(); }
};

// The health board's memory: each account's last verify result, one small JSON file per
// database in the console's state directory (never in Chatwoot's database). Written by fleet
// and single-account verifies (CLI and GUI alike); read when the accounts list loads. Any
// thread; writers on one machine are serialised by a lock file, and a file is replaced
// atomically, so a reader never sees half of one.
class HealthStore
{
public:
    explicit HealthStore(QString path) : m_path(std::move(path)) { }
    static QString defaultPath(const ConnectionSettings &settings);
    const QString &path() const { return m_path; }

    // Every account's last result; empty when nothing was recorded (or the file is unreadable).
    QHash<qint64, AccountHealth> load() const;
    // Merges `results` (newer replaces older per account). False with `error` set when the file
    // could not be written; the verify itself is not affected by that.
    bool record(const QList<AccountHealth> &results, QString *error = nullptr) const;

private:
    QString m_path;
};

} // namespace rollup
