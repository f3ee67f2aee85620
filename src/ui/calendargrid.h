#pragma once

#include "core/localdate.h"
#include "ui/palette.h"

#include <QColor>
#include <QList>
#include <QPair>
#include <QString>
#include <QVector>
#include <QWidget>

#include <optional>

namespace rollup {

// A calendar of local days, one row per month, one cell per day, each cell with a colour and a
// tooltip; a legend below. Shared by the backfill view (day states) and the verify view
// (heatmap of the worst status). Paints only the exposed rows, so years of days stay cheap.
// GUI thread only.
class CalendarGrid : public QWidget
{
    Q_OBJECT
public:
    explicit CalendarGrid(QWidget *parent = nullptr);

    // Resets every cell of [from, to] to `fill` with no tooltip. Empty range when from > to.
    void setRange(date::local_days from, date::local_days to, const QColor &fill = Palette::empty());
    void setCell(date::local_days day, const QColor &color, const QString &tooltip = {});
    void setLegend(const QList<QPair<QString, QColor>> &legend);
    // Outlines one day (e.g. the day a table is filtered to); nullopt clears it.
    void setSelectedDay(std::optional<date::local_days> day);
    std::optional<date::local_days> selectedDay() const { return m_selected; }
    // Days outside the range are ignored by setCell and return an invalid colour here.
    QColor cellColor(date::local_days day) const;
    QString cellToolTip(date::local_days day) const;
    bool contains(date::local_days day) const;
    int dayCount() const { return int(m_cells.size()); }
    // Geometry, for tests and keyboard navigation.
    QRect cellRect(date::local_days day) const;
    std::optional<date::local_days> dayAt(const QPoint &pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void dayClicked(date::local_days day);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Cell
    {
        QColor color;
        QString tooltip;
    };
    int monthRows() const;
    int legendHeight() const;

    date::local_days m_from{};
    date::local_days m_firstMonth{};
    QVector<Cell> m_cells;
    QList<QPair<QString, QColor>> m_legend;
    std::optional<date::local_days> m_selected;
    static constexpr int kCell = 14;
    static constexpr int kGap = 2;
    static constexpr int kLabelWidth = 64;
};

} // namespace rollup

Q_DECLARE_METATYPE(date::local_days)
