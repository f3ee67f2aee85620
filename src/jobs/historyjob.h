#pragma once

#include "core/connectionsettings.h"
#include "core/historyjournal.h"
#include "jobs/job.h"

#include <QHash>
#include <QList>
#include <QString>

namespace rollup {

// The console's history of one database, as read off the GUI thread.
struct HistoryLoad
{
    QString path; // the journal file
    QString server; // host:port/database
    QList<HistoryEntry> entries; // oldest first
    QString error; // one line; empty on success (a missing file is an empty history)
};

// Reads the history journal (HistoryJournal, a local file: no connection is opened) as a job,
// so the GUI thread never waits for the disk or for parsing a long history.
class HistoryJob
{
public:
    // Every entry of the database `settings` names; `accountId` > 0: that account's only.
    static HistoryLoad load(const ConnectionSettings &settings, qint64 accountId = 0);
    static Job<HistoryLoad> start(const ConnectionSettings &settings, qint64 accountId = 0);
    // Per account, its latest action that wrote something (HistoryJournal::lastChanges).
    static Job<QHash<qint64, HistoryEntry>> lastChanges(const ConnectionSettings &settings);
};

} // namespace rollup
