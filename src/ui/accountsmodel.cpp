#include "ui/accountsmodel.h"

#include <QBrush>
#include <QColor>

#include <date/tz.h>

namespace rollup {

AccountsModel::AccountsModel(QObject *parent) : QAbstractTableModel(parent) {}

void AccountsModel::setAccounts(const QList<AccountRow> &accounts)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(accounts.size());
    for (const AccountRow &a : accounts)
        m_rows.append(Entry{a, a.zone()});
    endResetModel();
}

const AccountRow *AccountsModel::accountAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row).account : nullptr;
}

int AccountsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int AccountsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AccountsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry &e = m_rows.at(index.row());
    if (role == AccountIdRole)
        return e.account.id;
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (index.column()) {
        case Id: return role == SortRole ? QVariant(e.account.id) : QVariant(QString::number(e.account.id));
        case Name: return e.account.name;
        case StoredTimezone:
            if (e.account.settingsNull)
                return tr("(settings NULL)");
            return e.account.storedTimezone.isUndefined() ? tr("(absent)") : e.account.storedTimezoneText();
        case State:
            switch (e.zone.state) {
            case ZoneResolution::State::NotSet: return tr("not set");
            case ZoneResolution::State::IanaId: return tr("IANA");
            case ZoneResolution::State::RailsName: return tr("Rails name");
            case ZoneResolution::State::Invalid: return tr("invalid");
            }
            return {};
        case Resolved: return e.zone.usable() ? e.zone.ianaId : e.zone.reason;
        case LocalNow: {
            if (!e.zone.usable())
                return {};
            const auto now = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            return QString::fromStdString(date::format("%F %H:%M %Z", date::make_zoned(e.zone.zone, now)));
        }
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (e.zone.state == ZoneResolution::State::Invalid)
            return QBrush(QColor(0xb0, 0x20, 0x20));
        if (e.zone.state == ZoneResolution::State::NotSet)
            return QBrush(QColor(0x80, 0x80, 0x80));
    }
    if (role == Qt::ToolTipRole && index.column() == Resolved)
        return e.zone.describe();
    if (role == Qt::TextAlignmentRole && index.column() == Id)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("ID");
    case Name: return tr("Name");
    case StoredTimezone: return tr("Stored reporting_timezone");
    case State: return tr("State");
    case Resolved: return tr("Resolved zone / reason");
    case LocalNow: return tr("Local time now");
    default: return {};
    }
}

} // namespace rollup
