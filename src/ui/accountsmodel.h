#pragma once

#include "core/account.h"
#include "core/healthstore.h"
#include "core/historyjournal.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace rollup {

// Accounts with their timezone state and (after the second, slower load) their rollup and event
// statistics. GUI thread only; fed whole lists by AccountLoader. Everything shown is computed
// once per load (setAccounts / setStats / setNow), so sorting and filtering tens of thousands of
// rows through a proxy stays cheap.
class AccountsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Id,
        Name,
        StoredTimezone,
        State,
        Resolved,
        Health, // the last verify's match rate (fleet or single, this machine's health board)
        DifferingDays, // days with a difference in that verify
        CheckedAt, // when it ran
        LastChange, // the console's last write to the account (its history)
        LocalNow,
        RollupCoverage,
        FirstEventDay,
        LastEventDay,
        ColumnCount
    };
    enum Role { AccountIdRole = Qt::UserRole + 1, SortRole };

    explicit AccountsModel(QObject *parent = nullptr);

    // Replaces the rows (model reset); statistics are cleared until they arrive.
    void setAccounts(const QList<AccountRow> &accounts);
    // Fills the statistics columns of the rows of `accountIds` (a batch of the statistics load:
    // those missing from `stats` have neither events nor rollups).
    void mergeStats(const QList<qint64> &accountIds, const QHash<qint64, AccountStats> &stats);
    // The health board's columns (rows not in `health` were never verified here).
    void setHealth(const QHash<qint64, AccountHealth> &health);
    const AccountHealth *healthAt(int row) const; // nullptr: never verified
    // The history's last write per account (the Last change column).
    void setLastChanges(const QHash<qint64, HistoryEntry> &changes);
    // Every row has its statistics.
    bool hasStats() const { return !m_rows.isEmpty() && m_statsLoaded == m_rows.size(); }
    // The instant "local time now" refers to; the view advances it on a timer.
    void setNow(SysSeconds now);
    SysSeconds now() const { return m_now; }

    const AccountRow *accountAt(int row) const;
    const ZoneResolution *zoneAt(int row) const;
    // nullptr when statistics are not loaded yet; zeros when the account has none.
    const AccountStats *statsAt(int row) const;
    int rowOf(qint64 accountId) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        AccountRow account;
        ZoneResolution zone;
        int offsetSeconds = 0; // UTC offset at m_now (sort key of LocalNow)
        AccountStats stats;
        bool statsLoaded = false;
        QString coverage; // "first .. last"
        QString firstDay;
        QString lastDay;
        std::optional<AccountHealth> health;
        std::optional<HistoryEntry> lastChange;
    };
    QVariant display(const Entry &e, int column) const;
    QVariant sortKey(const Entry &e, int column) const;
    void updateOffsets();

    QList<Entry> m_rows;
    QHash<qint64, int> m_rowOfId;
    QHash<qint64, AccountHealth> m_health; // kept across reloads of the list
    QHash<qint64, HistoryEntry> m_lastChanges;
    qsizetype m_statsLoaded = 0; // rows whose statistics arrived
    SysSeconds m_now;
};

} // namespace rollup
