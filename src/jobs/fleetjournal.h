#pragma once

#include "jobs/fleet.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonObject>

namespace rollup {

// The record of a fleet run's finished accounts, so that an interrupted run (Ctrl-C, kill -9, a
// lost connection, a server restart) resumes where it stopped: one JSON object per line, the
// first line naming the mode, every other line one finished account. A line is on disk (fsync)
// before the run goes on, and a line cut short by a crash is ignored when read back. Used by one
// thread at a time.
class FleetJournal
{
    Q_DECLARE_TR_FUNCTIONS(FleetJournal)

public:
    // With `resume`, reads the accounts an earlier run of `mode` finished and appends after them;
    // otherwise starts the file anew. False and a one-line error when the file cannot be used.
    bool open(const QString &path, FleetMode mode, bool resume, QString *error);
    const QHash<qint64, FleetAccount> &finished() const { return m_finished; }
    // The accounts' lines, on disk (one fsync) before it returns.
    bool append(const QList<FleetAccount> &accounts, QString *error);
    QString path() const { return m_file.fileName(); }

    static QJsonObject toJson(const FleetAccount &account);
    static std::optional<FleetAccount> fromJson(const QJsonObject &object);

private:
    QFile m_file;
    QHash<qint64, FleetAccount> m_finished;
};

} // namespace rollup
