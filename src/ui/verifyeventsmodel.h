#pragma once

#include "core/daywindow.h"
#include "core/rawevent.h"

#include <QAbstractTableModel>

namespace date {
class time_zone;
}

namespace rollup {

// The drill-down's raw events (EventRepository rows); created_at in UTC as stored and in the
// account's zone. GUI thread only.
class VerifyEventsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Name, Value, ValueBusinessHours, User, Inbox, Conversation, CreatedUtc, CreatedLocal, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit VerifyEventsModel(QObject *parent = nullptr);

    // `zone` may be null (local column then empty); it is owned by the tz database.
    void setEvents(const QList<RawEvent> &events, const date::time_zone *zone);
    const QList<RawEvent> &events() const { return m_events; }
    static QString localText(const date::time_zone *zone, SysMicros instant); // "2026-02-11 09:00:00 EST"

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RawEvent> m_events;
    const date::time_zone *m_zone = nullptr;
};

} // namespace rollup
