#pragma once

#include "core/historyjournal.h"

#include <QAbstractTableModel>
#include <QList>

namespace rollup {

// The console's history as a table, newest first: when (local time), who, action, account,
// change, outcome. Filled with a whole load at once (setEntries); GUI thread only.
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { When, Who, Action, Account, Change, Outcome, ColumnCount };
    // Qt::UserRole on any column: the entry's account id (0: none).
    static constexpr int AccountIdRole = Qt::UserRole;

    explicit HistoryModel(QObject *parent = nullptr);

    // `entries` oldest first, as HistoryJournal::entries gives them; shown newest first.
    void setEntries(const QList<HistoryEntry> &entries);
    const HistoryEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString actionText(const QString &action); // "set-timezone" -> "Set time zone", ...

private:
    QList<HistoryEntry> m_entries; // newest first
};

} // namespace rollup
