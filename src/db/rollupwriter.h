#pragma once

#include "core/daywindow.h"
#include "db/rollupsql.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace rollup {

class Connection;

struct DayWrite
{
    qint64 accountId = 0;
    date::local_days day;
    qint64 rowsWritten = 0;
    qint64 events = 0;
};

// Consecutive local days of one account, first and last included.
struct DayRun
{
    qint64 accountId = 0;
    date::local_days first, last;
};

struct ChunkWrite
{
    QList<DayRun> runs; // every day of the chunk's scope
    QList<DayWrite> days; // per day; a day of `runs` that is not here wrote no row and read no event
    qint64 rowsDeleted = 0;
    qint64 transaction = 0; // the chunk's transaction id: the xmin of every row it wrote
    // How often the chunk's transaction ran again before it committed: a live row inserted
    // between its DELETE and INSERT, a lost deadlock or serialization race (replaceDays).
    int reruns = 0;

    // Forgets the days that wrote no row and read no event: a fleet batch keeps its chunks until
    // it closes, and most days of a year-long range of a small account have no event.
    void dropEmptyDays();
};

// Writes rollups with Chatwoot's BackfillService semantics (docs/rollups.md §2, §3, §6), a chunk
// of days at a time, on the caller's connection and thread.
class RollupWriter
{
    Q_DECLARE_TR_FUNCTIONS(RollupWriter)

public:
    static constexpr int kLockClass = 0x524F4C4C; // 'ROLL': advisory lock (class, account id)
    // How often a chunk runs when its transaction keeps losing deadlocks or serialization races.
    static constexpr int kAttempts = 5;
    // Runs of days bound in one statement of daysChangedByOthers (about 4 MB of array text).
    static constexpr qsizetype kCheckRunsPerStatement = 50000;

    explicit RollupWriter(Connection &connection) : m_connection(connection) { }

    // One transaction: DELETE every row of (account, days) then INSERT the recomputed rows
    // (3 statements, independent of the number of days). A transaction that loses a deadlock or a
    // serialization race runs again (up to kAttempts in all). On any other failure the transaction
    // is rolled back, the days keep their old rows, and DbError is thrown.
    ChunkWrite replaceDays(qint64 accountId, const QList<DayWindow> &windows) { return replaceDays({{accountId, windows}}); }
    // The same for several accounts at once (a fleet batch): one transaction for every (account,
    // day) of `scope`.
    ChunkWrite replaceDays(const QList<AccountDays> &scope);

    // Session-level advisory lock for one account. Returns nullopt on success, otherwise a
    // one-line description of the holder (pid, application_name, since when).
    std::optional<QString> tryLockAccount(qint64 accountId);
    void unlockAccount(qint64 accountId) noexcept;
    // The locks of many accounts in one statement (a fleet batch): returns the accounts another
    // session holds, each with a one-line description of the holder. Throws DbError.
    QHash<qint64, QString> tryLockAccounts(const QList<qint64> &accountIds);
    void unlockAccounts(const QList<qint64> &accountIds) noexcept;
    // One line naming the session that holds the account's lock (pid, application_name, since when).
    QString lockHolder(qint64 accountId);

    // Days of committed `chunks` whose rows are no longer exactly the rows the chunk wrote: a
    // row inserted or updated by another transaction (its xmin is not the chunk's transaction
    // id), a row gone, or a row the ON CONFLICT DO NOTHING redo skipped because a live row held
    // its key. Chatwoot's live path upserting a day while or after its chunk ran shows up here;
    // such a day may not equal a recomputation from its events. Read-only: statements with a
    // total per chunk, then day by day only for chunks whose totals disagree; throws DbError.
    QList<date::local_days> daysChangedByOthers(qint64 accountId, const QList<ChunkWrite> &chunks);
    // The same for the days of many accounts: (account, day) pairs. The chunks' runs of days are
    // bound in statements of about `runsPerStatement` runs each (a chunk's runs in one).
    QList<std::pair<qint64, date::local_days>> daysChangedByOthers(const QList<ChunkWrite> &chunks,
                                                                   qsizetype runsPerStatement = kCheckRunsPerStatement);

private:
    ChunkWrite replaceOnce(const QList<AccountDays> &scope, bool onConflictDoNothing);
    Connection &m_connection;
};

} // namespace rollup
