#include "ui/calendargrid.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPen>
#include <QToolTip>

namespace rollup {

namespace {
date::year_month monthOf(date::local_days d)
{
    const date::year_month_day ymd{d};
    return ymd.year() / ymd.month();
}
} // namespace

CalendarGrid::CalendarGrid(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void CalendarGrid::setRange(date::local_days from, date::local_days to, const QColor &fill)
{
    m_cells.clear();
    m_selected.reset();
    m_from = from;
    if (from <= to) {
        m_cells.resize(int((to - from).count()) + 1, Cell{fill, {}});
        const date::year_month ym = monthOf(from);
        m_firstMonth = date::local_days{ym / date::day{1}};
    }
    updateGeometry();
    update();
}

bool CalendarGrid::contains(date::local_days day) const
{
    const auto i = (day - m_from).count();
    return i >= 0 && i < m_cells.size();
}

void CalendarGrid::setCell(date::local_days day, const QColor &color, const QString &tooltip)
{
    if (!contains(day))
        return;
    Cell &c = m_cells[int((day - m_from).count())];
    c.color = color;
    c.tooltip = tooltip;
    update(cellRect(day));
}

void CalendarGrid::setSelectedDay(std::optional<date::local_days> day)
{
    if (m_selected && contains(*m_selected))
        update(cellRect(*m_selected).adjusted(-2, -2, 2, 2));
    m_selected = day && contains(*day) ? day : std::nullopt;
    if (m_selected)
        update(cellRect(*m_selected).adjusted(-2, -2, 2, 2));
}

void CalendarGrid::setLegend(const QList<QPair<QString, QColor>> &legend)
{
    m_legend = legend;
    updateGeometry();
    update();
}

QColor CalendarGrid::cellColor(date::local_days day) const
{
    return contains(day) ? m_cells.at(int((day - m_from).count())).color : QColor();
}

QString CalendarGrid::cellToolTip(date::local_days day) const
{
    return contains(day) ? m_cells.at(int((day - m_from).count())).tooltip : QString();
}

int CalendarGrid::monthRows() const
{
    if (m_cells.isEmpty())
        return 0;
    const date::year_month first = monthOf(m_from);
    const date::year_month last = monthOf(m_from + date::days{m_cells.size() - 1});
    return int((last - first).count()) + 1;
}

int CalendarGrid::legendHeight() const
{
    return m_legend.isEmpty() ? 0 : fontMetrics().height() + 10;
}

QRect CalendarGrid::cellRect(date::local_days day) const
{
    const date::year_month_day ymd{day};
    const int row = int(((ymd.year() / ymd.month()) - monthOf(m_from)).count());
    const int col = int(unsigned(ymd.day())) - 1;
    return QRect(kLabelWidth + col * (kCell + kGap), row * (kCell + kGap), kCell, kCell);
}

std::optional<date::local_days> CalendarGrid::dayAt(const QPoint &pos) const
{
    if (m_cells.isEmpty() || pos.x() < kLabelWidth || pos.y() < 0)
        return std::nullopt;
    const int col = (pos.x() - kLabelWidth) / (kCell + kGap);
    const int row = pos.y() / (kCell + kGap);
    if (col > 30 || row >= monthRows())
        return std::nullopt;
    const date::year_month ym = monthOf(m_from) + date::months{row};
    const date::year_month_day ymd = ym / date::day{unsigned(col + 1)};
    if (!ymd.ok())
        return std::nullopt;
    const date::local_days d{ymd};
    if (!contains(d) || !cellRect(d).contains(pos))
        return std::nullopt;
    return d;
}

QSize CalendarGrid::sizeHint() const
{
    return QSize(kLabelWidth + 31 * (kCell + kGap) + 4, monthRows() * (kCell + kGap) + legendHeight() + 4);
}

QSize CalendarGrid::minimumSizeHint() const
{
    return sizeHint();
}

void CalendarGrid::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    const QRect exposed = event->rect();
    const int rows = monthRows();
    const int firstRow = std::max(0, exposed.top() / (kCell + kGap));
    const int lastRow = std::min(rows - 1, exposed.bottom() / (kCell + kGap));
    for (int row = firstRow; row <= lastRow; ++row) {
        const date::year_month ym = monthOf(m_from) + date::months{row};
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, row * (kCell + kGap), kLabelWidth - 6, kCell), Qt::AlignRight | Qt::AlignVCenter,
                   QString::fromStdString(date::format("%Y-%m", ym / date::day{1})));
        const unsigned lastDay = unsigned((ym / date::last).day());
        for (unsigned d = 1; d <= lastDay; ++d) {
            const date::local_days day{ym / date::day{d}};
            if (!contains(day))
                continue;
            const QRect r = cellRect(day);
            p.fillRect(r, m_cells.at(int((day - m_from).count())).color);
        }
    }
    if (m_selected) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cellRect(*m_selected).adjusted(-1, -1, 1, 1));
    }
    if (!m_legend.isEmpty()) {
        int x = kLabelWidth;
        const int y = rows * (kCell + kGap) + 6;
        for (const auto &entry : m_legend) {
            p.fillRect(QRect(x, y, kCell, kCell), entry.second);
            x += kCell + 4;
            const int w = fontMetrics().horizontalAdvance(entry.first);
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(x, y - 2, w + 2, kCell + 4), Qt::AlignVCenter, entry.first);
            x += w + 16;
        }
    }
}

void CalendarGrid::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        if (const auto d = dayAt(event->position().toPoint()))
            emit dayClicked(*d);
    QWidget::mouseReleaseEvent(event);
}

bool CalendarGrid::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const auto d = dayAt(help->pos())) {
            const QString tip = cellToolTip(*d);
            QToolTip::showText(help->globalPos(), tip.isEmpty() ? formatLocalDate(*d) : tip, this, cellRect(*d));
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace rollup
