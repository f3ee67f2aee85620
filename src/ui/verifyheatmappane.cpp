#include "ui/verifyheatmappane.h"

#include "ui/localeformat.h"

#include "ui/calendargrid.h"
#include "ui/verifyformat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace rollup {

namespace {
// from > to: a grid without days.
constexpr date::local_days kNoneFrom{date::days{1}};
constexpr date::local_days kNoneTo{date::days{0}};
} // namespace

VerifyHeatmapPane::VerifyHeatmapPane(QWidget *parent)
    : QGroupBox(tr("Worst status per day (click a day to filter the table)"), parent)
{
    m_grid = new CalendarGrid(this);
    m_grid->setLegend({{VerifyFormat::statusText(CompareStatus::Match), VerifyFormat::statusColor(CompareStatus::Match)},
                       {VerifyFormat::statusText(CompareStatus::Extra), VerifyFormat::statusColor(CompareStatus::Extra)},
                       {VerifyFormat::statusText(CompareStatus::Missing), VerifyFormat::statusColor(CompareStatus::Missing)},
                       {VerifyFormat::statusText(CompareStatus::Mismatch), VerifyFormat::statusColor(CompareStatus::Mismatch)},
                       {tr("no keys"), VerifyFormat::noKeysColor()}});
    connect(m_grid, &CalendarGrid::dayClicked, this, &VerifyHeatmapPane::dayClicked);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_grid);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(m_grid->sizeHint().width() + 20);
    m_dayLabel = new QLabel(this);
    m_clearDay = new QPushButton(tr("Show all days"), this);
    m_clearDay->setEnabled(false);
    connect(m_clearDay, &QPushButton::clicked, this, &VerifyHeatmapPane::allDaysRequested);

    auto *dayRow = new QHBoxLayout;
    dayRow->addWidget(m_dayLabel, 1);
    dayRow->addWidget(m_clearDay);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(dayRow);
}

void VerifyHeatmapPane::showDays(const QList<VerifyDay> &days)
{
    if (days.isEmpty()) {
        m_grid->setRange(kNoneFrom, kNoneTo);
        return;
    }
    m_grid->setRange(days.first().day, days.last().day, VerifyFormat::noKeysColor());
    for (const VerifyDay &d : days) {
        if (d.keys == 0) {
            m_grid->setCell(d.day, VerifyFormat::noKeysColor(), tr("%1: no keys").arg(LocaleFormat::date(d.day)));
            continue;
        }
        const QString tip = tr("%1: %n key(s)", nullptr, int(d.keys)).arg(LocaleFormat::date(d.day));
        QStringList parts;
        if (d.matches)
            parts << tr("%n match", nullptr, int(d.matches));
        if (d.mismatches)
            parts << tr("%n mismatch", nullptr, int(d.mismatches));
        if (d.missing)
            parts << tr("%n missing", nullptr, int(d.missing));
        if (d.extra)
            parts << tr("%n extra", nullptr, int(d.extra));
        m_grid->setCell(d.day, VerifyFormat::statusColor(d.worst),
                        tip + QStringLiteral(" — ") + parts.join(QStringLiteral(", ")));
    }
}

void VerifyHeatmapPane::clear()
{
    m_grid->setRange(kNoneFrom, kNoneTo);
    m_dayLabel->clear();
    m_clearDay->setEnabled(false);
}

void VerifyHeatmapPane::setDayFilter(std::optional<date::local_days> day)
{
    m_grid->setSelectedDay(day);
    m_dayLabel->setText(day ? tr("Table shows %1 only").arg(LocaleFormat::date(*day)) : tr("Table shows every day"));
    m_clearDay->setEnabled(day.has_value());
}

} // namespace rollup
