#pragma once

#include "core/connectionsettings.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace rollup {

// One line of the console's history journal: one write action, or the start or the end of a
// long one (a backfill, a fleet run). Plain value.
struct HistoryRecord
{
    QString id; // fresh per action; a run's "started" and "finished" records share it
    QDateTime at; // UTC, when the record was written (the wall clock, never ROLLUP_CONSOLE_NOW)
    QString who; // the operating-system user and host (Identity::userAtHost())
    QString host; // this machine's host name, and
    qint64 pid = 0; // the console's process: an unfinished run whose process is gone was interrupted
    QString server; // host:port/database
    QString action; // one of HistoryJournal's action names
    QString phase; // empty: a single record; "started" or "finished"
    qint64 accountId = 0; // 0: not one account (a fleet run)
    QString summary; // the change in words, e.g. "reporting_timezone Asia/Kolkata -> America/Sao_Paulo"
    QString outcome; // done, unchanged, failed, cancelled, refused; empty on a "started" record
    bool wrote = false; // something was written to the database
    QJsonObject details; // action-specific values (old/new values, range, days, rows, seconds, error, audit row)

    QJsonObject toJson() const;
    // nullopt for a line that is not a record (a line cut short by a crash, another format).
    static std::optional<HistoryRecord> fromJson(const QJsonObject &object);
};

// One action as the history shows it: a single record, or a run's "started" record together
// with its "finished" record when there is one.
struct HistoryEntry
{
    Q_DECLARE_TR_FUNCTIONS(HistoryEntry)

public:
    enum class State {
        Finished, // a single record, or a run with its "finished" record
        Running, // started, no end yet, and its process still runs on this machine
        NotFinished, // started, no end, and its process is gone (killed, crashed) or on another machine
    };
    HistoryRecord record; // the "started" record, with summary, outcome, wrote and details of the "finished" one
    QDateTime finishedAt; // when the run's "finished" record was written; invalid otherwise
    State state = State::Finished;

    // outcome, or "running" / "not finished" for a run without its end.
    QString outcomeText() const;
};

// The console's own, local, append-only history of every write action it makes (time zone set
// or cleared, backfills, the read path enabled, fleet backfills): who, when, against which
// server, what. JSON lines, one file per database under StateDirectory::path("history").
// Nothing here touches a database.
//
// Threads: any; append() is safe from several threads and processes at once (one O_APPEND
// write per record under an exclusive file lock, then fsync before it returns). Reading parses
// the whole file in the calling thread (about 1 µs per record): call it off the GUI thread.
class HistoryJournal
{
    Q_DECLARE_TR_FUNCTIONS(HistoryJournal)

public:
    // Action names, as stored.
    static constexpr const char *kSetTimezone = "set-timezone";
    static constexpr const char *kClearTimezone = "clear-timezone";
    static constexpr const char *kEnableReadPath = "enable-read-path";
    static constexpr const char *kBackfill = "backfill";
    static constexpr const char *kFleetBackfill = "fleet-backfill";

    explicit HistoryJournal(QString path) : m_path(std::move(path)) { }
    // The journal of the database `settings` names.
    static HistoryJournal forDatabase(const ConnectionSettings &settings) { return HistoryJournal(pathFor(settings)); }
    // StateDirectory::path("history")/<StateDirectory::databaseKey>.jsonl; the demo database
    // (source "demo", on a port chosen at each start) has one journal whatever its port.
    static QString pathFor(const ConnectionSettings &settings);
    // host:port/database, as records name the server.
    static QString serverName(const ConnectionSettings &settings);
    // A record with a fresh id, who, host, pid, server, action and account filled in.
    static HistoryRecord newRecord(const ConnectionSettings &settings, const QString &action, qint64 accountId);

    QString path() const { return m_path; }

    // Appends one line (sets `at` to now when it is not set), flushed and fsync'ed before it
    // returns. False and a one-line error when the file cannot be written (the state directory
    // is read-only, the disk full): the caller reports it; nothing else depends on it.
    bool append(HistoryRecord record, QString *error = nullptr) const;

    // Every action, oldest first (file order; a run sits where it started); `accountId` > 0:
    // that account's only. A missing file is an empty history. Lines that are not records are
    // skipped.
    QList<HistoryEntry> entries(qint64 accountId = 0, QString *error = nullptr) const;
    // Per account, its latest action that wrote something (or may have: a run without its end).
    QHash<qint64, HistoryEntry> lastChanges() const;

    // The columns every listing shows (CLI and GUI): at, who, server, action, account, change,
    // outcome, details; cells() gives an entry's cells in that order (at as an ISO UTC instant,
    // details as compact JSON).
    static QStringList columns();
    static QStringList cells(const HistoryEntry &entry);

private:
    QString m_path;
};

} // namespace rollup
