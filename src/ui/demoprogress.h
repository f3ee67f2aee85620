#pragma once

#include "jobs/democluster.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace rollup {

class MainWindow;

// The page a main window shows while the demo database starts (DemoCluster::start): what runs
// now, a progress bar over the whole start, and the error when it fails. GUI thread only.
class DemoProgress : public QWidget
{
    Q_OBJECT
public:
    // Shows a new page in `window` at once (in place of its tabs) and follows `job`: when the demo
    // is ready the window connects to it (setConnectionSettings, which removes the page); on
    // failure the page stays with the error. Returns the page (owned by the window).
    static DemoProgress *follow(MainWindow *window, const Job<DemoStartEvent> &job);

    explicit DemoProgress(QWidget *parent = nullptr);
    // Cancels the job when it still runs (returns at once; whoever owns the DemoCluster stops
    // the server: DemoCluster::stop() or its destructor).
    ~DemoProgress() override;

    void watch(const Job<DemoStartEvent> &job);
    bool isRunning() const { return m_job.isRunning(); }
    QProgressBar *progressBar() const { return m_bar; }
    QString stepText() const;

signals:
    void progressChanged(int value, const QString &text);
    void finished(const DemoStart &result);

private:
    void onEvents(int begin, int end);
    void onStep(const DemoStep &step);
    void onOutcome(const DemoStart &result);
    void onJobFinished();

    Job<DemoStartEvent> m_job;
    QFutureWatcher<DemoStartEvent> m_watcher;
    bool m_done = false; // the DemoStart arrived
    QLabel *m_title = nullptr;
    QLabel *m_about = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_step = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace rollup
