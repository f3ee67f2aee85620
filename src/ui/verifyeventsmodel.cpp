#include "ui/verifyeventsmodel.h"

#include "ui/verifyformat.h"

#include <date/tz.h>

namespace rollup {

VerifyEventsModel::VerifyEventsModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void VerifyEventsModel::setEvents(const QList<RawEvent> &events, const date::time_zone *zone)
{
    beginResetModel();
    m_events = events;
    m_zone = zone;
    endResetModel();
}

QString VerifyEventsModel::localText(const date::time_zone *zone, SysMicros instant)
{
    if (!zone)
        return QString();
    return DayWindows::localTimeText(zone, instant);
}

int VerifyEventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}
int VerifyEventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VerifyEventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RawEvent &e = m_events.at(index.row());
    auto id = [](const std::optional<qint64> &v) { return v ? QVariant(*v) : QVariant(); };
    auto idText = [](const std::optional<qint64> &v) { return v ? QString::number(*v) : QStringLiteral("NULL"); };
    auto value = [](const std::optional<double> &v) { return v ? QVariant(*v) : QVariant(); };
    auto valueText = [](const std::optional<double> &v) { return v ? VerifyFormat::number(*v) : QStringLiteral("NULL"); };
    if (role == SortRole) {
        switch (index.column()) {
        case Id:
            return e.id;
        case Name:
            return e.name;
        case Value:
            return value(e.value);
        case ValueBusinessHours:
            return value(e.valueInBusinessHours);
        case User:
            return id(e.userId);
        case Inbox:
            return id(e.inboxId);
        case Conversation:
            return id(e.conversationId);
        default:
            return qint64(e.createdAt.time_since_epoch().count());
        }
    }
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name || index.column() >= CreatedUtc ? QVariant()
                                                                      : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole) {
        const std::optional<double> v = index.column() == Value                ? e.value
                                        : index.column() == ValueBusinessHours ? e.valueInBusinessHours
                                                                               : std::nullopt;
        return v ? QVariant(VerifyFormat::duration(*v)) : QVariant();
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Id:
        return QString::number(e.id);
    case Name:
        return e.name;
    case Value:
        return valueText(e.value);
    case ValueBusinessHours:
        return valueText(e.valueInBusinessHours);
    case User:
        return idText(e.userId);
    case Inbox:
        return idText(e.inboxId);
    case Conversation:
        return idText(e.conversationId);
    case CreatedUtc:
        return formatUtcMicros(e.createdAt);
    case CreatedLocal:
        return localText(m_zone, e.createdAt);
    default:
        return {};
    }
}

QVariant VerifyEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Id");
    case Name:
        return tr("Event");
    case Value:
        return tr("Value (s)");
    case ValueBusinessHours:
        return tr("Business hours (s)");
    case User:
        return tr("User");
    case Inbox:
        return tr("Inbox");
    case Conversation:
        return tr("Conversation");
    case CreatedUtc:
        return tr("Created (UTC)");
    case CreatedLocal:
        return tr("Created (local)");
    default:
        return {};
    }
}

} // namespace rollup
