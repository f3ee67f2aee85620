#include "ui/historymodel.h"

#include "ui/palette.h"

#include <QJsonDocument>

#include <algorithm>

namespace rollup {

HistoryModel::HistoryModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void HistoryModel::setEntries(const QList<HistoryEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    std::reverse(m_entries.begin(), m_entries.end());
    endResetModel();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HistoryModel::actionText(const QString &action)
{
    if (action == QLatin1String(HistoryJournal::kSetTimezone))
        return tr("Set time zone");
    if (action == QLatin1String(HistoryJournal::kClearTimezone))
        return tr("Clear time zone");
    if (action == QLatin1String(HistoryJournal::kEnableReadPath))
        return tr("Enable read path");
    if (action == QLatin1String(HistoryJournal::kBackfill))
        return tr("Backfill");
    if (action == QLatin1String(HistoryJournal::kFleetBackfill))
        return tr("Fleet backfill");
    return action;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const HistoryEntry &e = m_entries.at(index.row());
    const HistoryRecord &r = e.record;
    if (role == AccountIdRole)
        return r.accountId;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case When:
            return r.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Who:
            return r.who;
        case Action:
            return actionText(r.action);
        case Account:
            return r.accountId > 0 ? QVariant(r.accountId) : QVariant();
        case Change:
            return r.summary;
        case Outcome:
            return e.outcomeText();
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1 by %2 on %3").arg(r.at.toUTC().toString(Qt::ISODateWithMs), r.who, r.server);
        if (e.finishedAt.isValid())
            tip += QLatin1Char('\n') + tr("finished %1").arg(e.finishedAt.toUTC().toString(Qt::ISODateWithMs));
        if (e.state == HistoryEntry::State::NotFinished)
            tip += QLatin1Char('\n') + tr("The run never recorded its end: it was killed, crashed or lost its machine.");
        if (!r.details.isEmpty())
            tip += QLatin1Char('\n') + QString::fromUtf8(QJsonDocument(r.details).toJson(QJsonDocument::Indented)).trimmed();
        return tip;
    }
    if (role == Qt::ForegroundRole && index.column() == Outcome) {
        if (e.state == HistoryEntry::State::NotFinished || r.outcome == QLatin1String("failed"))
            return Palette::errorText();
        if (e.state == HistoryEntry::State::Running)
            return Palette::running();
    }
    if (role == Qt::TextAlignmentRole && index.column() == Account)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Who:
        return tr("Who");
    case Action:
        return tr("Action");
    case Account:
        return tr("Account");
    case Change:
        return tr("Change");
    case Outcome:
        return tr("Outcome");
    }
    return {};
}

} // namespace rollup
