#include "ui/fleetmodel.h"

#include "core/localdate.h"
#include "ui/palette.h"

#include <QBrush>
#include <QLocale>

namespace rollup {

FleetModel::FleetModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void FleetModel::setAccounts(const QList<FleetAccount> &accounts)
{
    beginResetModel();
    m_rows = accounts;
    m_rowOfId.clear();
    m_rowOfId.reserve(accounts.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfId.insert(m_rows.at(i).accountId, i);
    endResetModel();
}

void FleetModel::update(const QList<FleetAccount> &changed)
{
    QList<int> rows;
    QList<FleetAccount> added;
    for (const FleetAccount &a : changed) {
        const int row = m_rowOfId.value(a.accountId, -1);
        if (row < 0) {
            added.append(a);
            continue;
        }
        m_rows[row] = a;
        rows.append(row);
    }
    // One signal per run of adjacent rows: a batch's accounts lie all over the table, and one
    // range from the first to the last would make the sorting proxy revisit every row between.
    std::sort(rows.begin(), rows.end());
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i + 1;
        while (j < rows.size() && rows.at(j) <= rows.at(j - 1) + 1)
            ++j;
        emit dataChanged(index(rows.at(i), 0), index(rows.at(j - 1), ColumnCount - 1));
        i = j;
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
        for (const FleetAccount &a : std::as_const(added)) {
            m_rowOfId.insert(a.accountId, int(m_rows.size()));
            m_rows.append(a);
        }
        endInsertRows();
    }
}

const FleetAccount *FleetModel::accountAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int FleetModel::count(FleetStatus status) const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [status](const FleetAccount &a) { return a.status == status; }));
}

QList<qint64> FleetModel::accountIds(FleetStatus status) const
{
    QList<qint64> ids;
    for (const FleetAccount &a : m_rows)
        if (a.status == status)
            ids.append(a.accountId);
    return ids;
}

int FleetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}
int FleetModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FleetModel::statusText(FleetStatus status)
{
    switch (status) {
    case FleetStatus::Queued:
        return tr("queued");
    case FleetStatus::Running:
        return tr("running");
    case FleetStatus::Match:
        return tr("match");
    case FleetStatus::Differs:
        return tr("differs");
    case FleetStatus::Done:
        return tr("done");
    case FleetStatus::Skipped:
        return tr("skipped");
    case FleetStatus::Locked:
        return tr("locked");
    case FleetStatus::Failed:
        return tr("failed");
    case FleetStatus::Cancelled:
        return tr("cancelled");
    }
    return {};
}

QVariant FleetModel::display(const FleetAccount &a, int column) const
{
    const QLocale locale;
    switch (column) {
    case Id:
        return QString::number(a.accountId);
    case Name:
        return a.name;
    case Status:
        return statusText(a.status);
    case Days:
        if (!a.range)
            return QString();
        return tr("%1 .. %2 (%3)")
            .arg(toQDate(a.range->from).toString(Qt::ISODate), toQDate(a.range->to).toString(Qt::ISODate),
                 locale.toString(a.days));
    case Events:
        return a.status == FleetStatus::Skipped && a.events == 0 ? QString() : locale.toString(a.events);
    case Outcome:
        if (a.status == FleetStatus::Match || a.status == FleetStatus::Differs)
            return tr("%1 of %2 keys match · %n differing day(s)", nullptr, int(a.differingDays.size()))
                .arg(locale.toString(a.summary.matches), locale.toString(a.summary.keys));
        if (a.status == FleetStatus::Done || (a.daysDone > 0 && a.rowsWritten > 0)) {
            QString text = tr("%1 of %2 days · %3 rows")
                               .arg(locale.toString(a.daysDone), locale.toString(a.days), locale.toString(a.rowsWritten));
            if (!a.liveTouchedDays.isEmpty())
                text += tr(" · %n day(s) also written by another session: verify", nullptr, int(a.liveTouchedDays.size()));
            return text;
        }
        return QString();
    case Note:
        return a.note;
    default:
        return {};
    }
}

QVariant FleetModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const FleetAccount &a = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(a, index.column());
    case AccountIdRole:
        return a.accountId;
    case StatusRole:
        return int(a.status);
    case SortRole:
        switch (index.column()) {
        case Id:
            return a.accountId;
        case Status:
            return int(a.status);
        case Days:
            return a.days;
        case Events:
            return a.events;
        case Outcome:
            return a.summary.keys ? a.summary.matchRate() : double(a.rowsWritten);
        default:
            return display(a, index.column());
        }
    case Qt::ForegroundRole:
        if (index.column() != Status)
            return {};
        switch (a.status) {
        case FleetStatus::Match:
        case FleetStatus::Done:
            return QBrush(Palette::match());
        case FleetStatus::Differs:
        case FleetStatus::Failed:
            return QBrush(Palette::mismatch());
        case FleetStatus::Locked:
            return QBrush(Palette::missing());
        case FleetStatus::Running:
            return QBrush(Palette::running().darker(150));
        case FleetStatus::Skipped:
        case FleetStatus::Cancelled:
            return QBrush(Palette::mutedText());
        case FleetStatus::Queued:
            return {};
        }
        return {};
    case Qt::ToolTipRole: {
        QStringList tip;
        if (!a.note.isEmpty())
            tip << a.note;
        if (!a.liveTouchedDays.isEmpty()) {
            QStringList days;
            for (date::local_days d : a.liveTouchedDays)
                days << formatLocalDate(d);
            tip << tr("Written by another session while the run went on (Chatwoot's live path), so they may differ from "
                      "their events: %1")
                       .arg(days.join(QStringLiteral(", ")));
        }
        return tip.isEmpty() ? QVariant() : QVariant(tip.join(QLatin1Char('\n')));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == Id || index.column() == Events)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant FleetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("ID");
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case Days:
        return tr("Days");
    case Events:
        return tr("Events");
    case Outcome:
        return tr("Result");
    case Note:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace rollup
