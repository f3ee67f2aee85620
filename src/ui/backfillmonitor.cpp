#include "ui/backfillmonitor.h"

#include "ui/calendargrid.h"
#include "ui/palette.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace rollup {

namespace {
QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const qint64 s = std::llround(seconds);
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

BackfillMonitor::BackfillMonitor(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setFormat(tr("%v / %m days (%p%)"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_counters = new QLabel(this);
    m_counters->setObjectName(QStringLiteral("countersLabel"));
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_counters);

    auto *split = new QSplitter(Qt::Horizontal, this);
    // The legend is a rangeless CalendarGrid above the scrolling one, so it stays in view.
    auto *gridPane = new QWidget(split);
    auto *gridLayout = new QVBoxLayout(gridPane);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    auto *legend = new CalendarGrid(gridPane);
    legend->setRange(date::local_days{date::days{1}}, date::local_days{date::days{0}});
    legend->setLegend({{nameOf(DayState::Pending), colorOf(DayState::Pending)},
                       {nameOf(DayState::Running), colorOf(DayState::Running)},
                       {nameOf(DayState::Done), colorOf(DayState::Done)},
                       {nameOf(DayState::Failed), colorOf(DayState::Failed)},
                       {nameOf(DayState::Skipped), colorOf(DayState::Skipped)}});
    gridLayout->addWidget(legend);
    m_grid = new CalendarGrid;
    m_scroll = new QScrollArea(gridPane);
    gridLayout->addWidget(m_scroll, 1);
    m_scroll->setWidget(m_grid);
    m_scroll->setWidgetResizable(true);
    m_scroll->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_scroll->setMinimumWidth(m_grid->sizeHint().width() + 24);
    m_tabs = new QTabWidget(split);
    m_planText = new QPlainTextEdit;
    m_planText->setObjectName(QStringLiteral("planText"));
    m_planText->setReadOnly(true);
    m_planText->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_planText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs->addTab(m_planText, tr("&Plan"));
    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("logPane"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(20000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs->addTab(m_log, tr("&Log"));
    split->addWidget(gridPane);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    m_heartbeat.setInterval(500);
    connect(&m_heartbeat, &QTimer::timeout, this, &BackfillMonitor::tick);
    clear();
}

QColor BackfillMonitor::colorOf(DayState state)
{
    switch (state) {
    case DayState::Skipped:
        return Palette::skipped();
    case DayState::Pending:
        return Palette::pending();
    case DayState::Running:
        return Palette::running();
    case DayState::Done:
        return Palette::done();
    case DayState::Failed:
        return Palette::failed();
    }
    return {};
}

QString BackfillMonitor::dayCount(qsizetype n)
{
    return tr("%n day(s)", nullptr, int(n));
}

QString BackfillMonitor::nameOf(DayState state)
{
    switch (state) {
    case DayState::Skipped:
        return tr("skipped");
    case DayState::Pending:
        return tr("pending");
    case DayState::Running:
        return tr("running");
    case DayState::Done:
        return tr("done");
    case DayState::Failed:
        return tr("failed");
    }
    return {};
}

void BackfillMonitor::clear()
{
    m_heartbeat.stop();
    m_running = false;
    m_days.clear();
    m_grid->setRange(date::local_days{date::days{1}}, date::local_days{date::days{0}});
    m_last = BackfillProgress{};
    m_daysTotal = 0;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_counters->clear();
}

void BackfillMonitor::showPlan(const BackfillPlan &plan, bool hasRange)
{
    clear();
    if (!hasRange || !plan.zone.usable())
        return;
    m_grid->setRange(plan.range.from, plan.range.to, colorOf(DayState::Skipped));
    m_days.reserve(plan.range.days());
    for (date::local_days d = plan.range.from; d <= plan.range.to; d += date::days{1})
        m_days.insert(keyOf(d), Day{DayWindows::window(plan.zone.zone, d), DayState::Skipped});
    for (const DayWindow &w : plan.windows)
        m_days.insert(keyOf(w.day), Day{w, DayState::Pending});
    for (const Day &day : std::as_const(m_days))
        paintDay(day);
    m_daysTotal = int(plan.windows.size());
    m_progress->setRange(0, std::max(1, m_daysTotal));
    m_progress->setTextVisible(true);
    m_last.daysTotal = m_daysTotal;
    updateCounters();
}

void BackfillMonitor::runStarted(int firstChunkDays)
{
    int marked = 0;
    for (date::local_days d : daysIn(DayState::Pending)) {
        if (marked++ >= firstChunkDays)
            break;
        setState(d, DayState::Running);
    }
    m_clock.start();
    m_sinceReport.start();
    m_running = true;
    m_heartbeat.start();
    updateCounters();
}

void BackfillMonitor::applyProgress(const BackfillProgress &p)
{
    for (const DayWrite &w : p.chunkDays)
        setState(w.day, DayState::Done, w.events, w.rowsWritten);
    for (date::local_days d : p.runningDays)
        setState(d, DayState::Running);
    m_last = p;
    m_sinceReport.start();
    m_progress->setValue(p.daysDone);
    updateCounters();
    if (!p.chunkDays.isEmpty()) {
        qint64 events = 0, rows = 0;
        for (const DayWrite &w : p.chunkDays) {
            events += w.events;
            rows += w.rowsWritten;
        }
        const QString span = p.chunkDays.size() == 1 ? formatLocalDate(p.chunkDays.first().day)
                                                     : tr("%1 … %2").arg(formatLocalDate(p.chunkDays.first().day),
                                                                         formatLocalDate(p.chunkDays.last().day));
        log(tr("done %1: %2, %3 events, %4 rows").arg(span, dayCount(p.chunkDays.size())).arg(events).arg(rows));
    }
}

void BackfillMonitor::applyResult(const BackfillResult &result)
{
    m_heartbeat.stop();
    m_running = false;
    for (date::local_days d : daysIn(DayState::Running))
        setState(d, DayState::Pending);
    for (const DayWrite &w : result.doneDays)
        setState(w.day, DayState::Done, w.events, w.rowsWritten);
    for (date::local_days d : result.failedDays)
        setState(d, DayState::Failed);
    for (date::local_days d : result.pendingDays)
        setState(d, DayState::Pending);
    m_last.daysDone = int(result.doneDays.size());
    m_last.daysTotal = result.daysTotal;
    m_last.eventsRead = result.eventsRead;
    m_last.rowsWritten = result.rowsWritten;
    m_last.rowsDeleted = result.rowsDeleted;
    m_last.elapsedSeconds = result.seconds;
    m_last.daysPerSecond = result.seconds > 0 ? m_last.daysDone / result.seconds : 0;
    m_last.etaSeconds = 0;
    m_progress->setRange(0, std::max(1, result.daysTotal));
    m_progress->setValue(m_last.daysDone);
    updateCounters();
}

void BackfillMonitor::log(const QString &line)
{
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

void BackfillMonitor::showPlanText(const QString &text)
{
    m_planText->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_planText->setPlainText(text);
    m_tabs->setCurrentWidget(m_planText);
}

void BackfillMonitor::showPlanError(const QString &error)
{
    m_planText->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_planText->setPlainText(error);
    m_tabs->setCurrentWidget(m_planText);
}

void BackfillMonitor::showLog()
{
    m_tabs->setCurrentWidget(m_log);
}

BackfillMonitor::DayState BackfillMonitor::state(date::local_days day) const
{
    const auto it = m_days.constFind(keyOf(day));
    return it == m_days.cend() ? DayState::Skipped : it->state;
}

QList<date::local_days> BackfillMonitor::daysIn(DayState state) const
{
    QList<date::local_days> out;
    for (const Day &d : m_days)
        if (d.state == state)
            out.append(d.window.day);
    std::sort(out.begin(), out.end());
    return out;
}

void BackfillMonitor::setState(date::local_days day, DayState state, qint64 events, qint64 rows)
{
    const auto it = m_days.find(keyOf(day));
    if (it == m_days.end())
        return;
    it->state = state;
    if (events >= 0)
        it->events = events;
    if (rows >= 0)
        it->rows = rows;
    paintDay(*it);
}

void BackfillMonitor::paintDay(const Day &day)
{
    const DayWindow &w = day.window;
    QString tip
        = tr("%1 — %2\nUTC %3 … %4 (%5 h)")
              .arg(formatLocalDate(w.day), nameOf(day.state), formatUtcInstant(w.start), formatUtcInstant(w.end), w.hoursText());
    if (day.events >= 0)
        tip += tr("\n%1 events read, %2 rows written").arg(day.events).arg(day.rows);
    m_grid->setCell(w.day, colorOf(day.state), tip);
}

void BackfillMonitor::updateCounters()
{
    const QLocale locale;
    const BackfillProgress &p = m_last;
    const double elapsed = m_running ? m_clock.nsecsElapsed() / 1e9 : p.elapsedSeconds;
    const double eventsPerSecond = p.elapsedSeconds > 0 ? p.eventsRead / p.elapsedSeconds : 0;
    QString eta = QStringLiteral("–");
    if (m_running && p.daysPerSecond > 0)
        eta = duration(std::max(0.0, p.etaSeconds - m_sinceReport.nsecsElapsed() / 1e9));
    else if (!m_running && p.daysTotal > 0 && p.daysDone == p.daysTotal)
        eta = tr("done");
    m_counters->setText(tr("Days %1 / %2 · %3 events read · %4 rows written (%5 deleted) · %6 days/s, %7 events/s · "
                           "elapsed %8 · ETA %9")
                            .arg(locale.toString(p.daysDone), locale.toString(p.daysTotal), locale.toString(p.eventsRead),
                                 locale.toString(p.rowsWritten), locale.toString(p.rowsDeleted),
                                 locale.toString(p.daysPerSecond, 'f', 1), locale.toString(eventsPerSecond, 'f', 0),
                                 duration(elapsed), eta));
}

void BackfillMonitor::tick()
{
    updateCounters();
}

} // namespace rollup
