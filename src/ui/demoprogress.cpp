#include "ui/demoprogress.h"

#include "ui/mainwindow.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace rollup {

DemoProgress *DemoProgress::follow(MainWindow *window, const Job<DemoStartEvent> &job)
{
    auto *page = new DemoProgress;
    window->setStartPage(page);
    window->setWindowTitle(tr("Rollup Console — starting the demo database"));
    connect(page, &DemoProgress::finished, window, [window, page](const DemoStart &result) {
        // The user may have connected elsewhere meanwhile (Console ▸ Connect…): then the page is gone.
        if (window->startPage() != page)
            return;
        if (result.ok)
            window->setConnectionSettings(result.settings);
        else
            window->setWindowTitle(tr("Rollup Console — the demo database did not start"));
    });
    page->watch(job);
    return page;
}

DemoProgress::DemoProgress(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("demoProgress"));
    auto *box = new QFrame(this);
    box->setFrameShape(QFrame::StyledPanel);
    box->setFixedWidth(560); // a fixed width gives the wrapped labels their full height
    m_title = new QLabel(tr("Starting the demo database"), box);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_about = new QLabel(tr("The first start creates a PostgreSQL server of the console's own and fills it with nine "
                            "Chatwoot-shaped accounts and about 615,000 reporting events. Later starts reuse them. "
                            "The console connects as soon as the data is ready; closing the window stops the server."),
                         box);
    m_about->setWordWrap(true);
    m_bar = new QProgressBar(box);
    m_bar->setRange(0, DemoCluster::kProgressMax);
    m_bar->setValue(0);
    m_bar->setFormat(QStringLiteral("%p%"));
    m_step = new QLabel(tr("Preparing…"), box);
    m_step->setObjectName(QStringLiteral("demoStep"));
    m_step->setWordWrap(true);
    m_step->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(box);
    m_error->setObjectName(QStringLiteral("demoError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    auto *inner = new QVBoxLayout(box);
    inner->setContentsMargins(24, 24, 24, 24);
    inner->setSpacing(12);
    inner->addWidget(m_title);
    inner->addWidget(m_about);
    inner->addWidget(m_bar);
    inner->addWidget(m_step);
    inner->addWidget(m_error);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(box);
    row->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    connect(&m_watcher, &QFutureWatcherBase::resultsReadyAt, this, &DemoProgress::onEvents);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &DemoProgress::onJobFinished);
}

DemoProgress::~DemoProgress()
{
    if (m_job.isRunning())
        m_job.cancel();
}

void DemoProgress::watch(const Job<DemoStartEvent> &job)
{
    m_job = job;
    m_done = false;
    m_watcher.setFuture(job.future);
}

QString DemoProgress::stepText() const
{
    return m_step->text();
}

void DemoProgress::onEvents(int begin, int end)
{
    for (int i = begin; i < end; ++i) {
        const DemoStartEvent event = m_watcher.resultAt(i);
        if (const auto *step = std::get_if<DemoStep>(&event))
            onStep(*step);
        else
            onOutcome(std::get<DemoStart>(event));
    }
}

void DemoProgress::onStep(const DemoStep &step)
{
    m_bar->setValue(step.value);
    m_step->setText(step.text);
    emit progressChanged(step.value, step.text);
}

void DemoProgress::onOutcome(const DemoStart &result)
{
    m_done = true;
    if (result.ok) {
        m_bar->setValue(m_bar->maximum());
        m_step->setText(tr("Ready. Connecting…"));
    } else {
        m_title->setText(result.cancelled ? tr("The demo start was cancelled") : tr("The demo database did not start"));
        m_about->hide();
        m_bar->hide();
        m_step->hide();
        m_error->setText(result.error + QStringLiteral("\n\n")
                         + tr("Close the window to quit, or connect to another server with Console ▸ Connect…"));
        m_error->show();
    }
    emit finished(result);
}

void DemoProgress::onJobFinished()
{
    if (!m_done) // every start ends with a DemoStart; this only guards the page
        onOutcome(DemoCluster::outcome(m_watcher.future()));
}

} // namespace rollup
