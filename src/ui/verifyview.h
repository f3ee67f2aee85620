#pragma once

#include "core/connectionsettings.h"
#include "core/localdate.h"
#include "jobs/verifyjob.h"
#include "ui/verifymodel.h"
#include "ui/verifysummary.h"

#include <QFutureWatcher>
#include <QList>
#include <QWidget>

#include <optional>

class QAbstractButton;
class QTableView;

namespace rollup {

class CalendarGrid;
class RawEventsDialog;
class ReadPathControl;
class VerifyChart;
class VerifyFilterModel;
class VerifyHeatmapPane;
class VerifyRunControl;
class VerifyTablePane;

// What a verify run hands to the GUI thread: the outcome and the table data prepared with it
// on the worker thread.
struct VerifyLoad
{
    VerifyOutcome outcome;
    VerifyModel::Data table;
};

// The verify page: rollup rows against raw aggregates for one account. It runs the verify
// (VerifyJob::start on the jobs pool, its own connection; a new request cancels the one in
// flight on the server and runs after it) and hands the result to its parts, which only show
// it: VerifySummary (header, messages), VerifyRunControl (range, Verify/Cancel, progress),
// ReadPathControl (report_rollup; starts its own UPDATE), VerifyHeatmapPane (worst status per
// day, day filter), VerifyChart (rollup vs raw per day) and VerifyTablePane (filters, table,
// drill-down, re-backfill requests, export). The accessors below reach into those parts.
// GUI thread only; the destructor cancels a verify in flight and waits for it.
class VerifyView : public QWidget
{
    Q_OBJECT
public:
    // The summary's link that re-backfills the days of stored rows outside the range.
    static constexpr const char *kRebackfillOutsideLink = VerifySummary::kRebackfillOutsideLink;
    explicit VerifyView(QWidget *parent = nullptr);
    ~VerifyView() override;

    // Drops the shown result (another database) and cancels a verify in flight.
    void setConnectionSettings(const ConnectionSettings &settings);
    // Empty from/to: the backfill's default range (the account's whole history). A verify in
    // flight is cancelled on the server and this one runs after it.
    void verifyAccount(qint64 accountId, const QString &from = {}, const QString &to = {});

    bool isRunning() const { return m_running; }
    qint64 accountId() const { return m_accountId; }
    const VerifyOutcome &outcome() const { return m_outcome; }
    VerifyModel *model() const { return m_model; }
    VerifyFilterModel *proxy() const;
    QTableView *table() const;
    CalendarGrid *heatmap() const;
    VerifyChart *chart() const { return m_chart; }
    QAbstractButton *enableReadPathButton() const;
    QString summaryText() const;
    QString readPathText() const;
    // The table's rows after filtering, in the shown order.
    QList<CompareRow> filteredRows() const;
    // Local days of the selected table rows, sorted, unique.
    QList<date::local_days> selectedDays() const;
    // Opens the drill-down for a row of the table (an index of proxy()); nullptr when invalid.
    RawEventsDialog *openDrillDown(const QModelIndex &proxyIndex);
    // The heatmap's day filter; nullopt shows every day.
    void setDayFilter(std::optional<date::local_days> day);

public slots:
    void verify(); // the current account with the range editor's choice
    void cancel();
    void rebackfillSelectedDays();
    void rebackfillDifferingDays();
    void enableReadPath(); // after a confirmation; only after a clean whole-history verify
    void exportTable(); // asks for a file (CSV or JSON by suffix)
    void exportTo(const QString &path);

signals:
    void rebackfillRequested(qint64 accountId, const QList<date::local_days> &days);
    // After each completed verify (not on error or cancel).
    void verified(qint64 accountId, const QList<date::local_days> &differingDays);
    void verifyFailed(qint64 accountId, const QString &error);
    void readPathChanged(const ReadPathChange &change);
    void exported(const QString &path, const QString &error); // error empty on success

private:
    void buildUi();
    void start(const VerifyRequest &request);
    void onFinished();
    void apply(VerifyLoad load);
    void clearResult(const QString &message);
    void updateState();
    void requestRebackfill(const QList<date::local_days> &days);
    void onDayClicked(date::local_days day);
    void onReadPathChanged(const ReadPathChange &change);

    ConnectionSettings m_settings;
    qint64 m_accountId = 0;
    VerifyOutcome m_outcome;
    std::optional<VerifyRequest> m_pending;
    bool m_running = false; // from start() until onFinished()
    quint64 m_generation = 0; // bumped by setConnectionSettings()
    quint64 m_runGeneration = 0; // m_generation when the running verify started
    Job<VerifyOutcome> m_job;
    QFutureWatcher<VerifyLoad> m_watcher;

    VerifyModel *m_model = nullptr; // shared by the table and the chart
    VerifySummary *m_summary = nullptr;
    VerifyRunControl *m_run = nullptr;
    ReadPathControl *m_readPath = nullptr;
    VerifyHeatmapPane *m_heatmap = nullptr;
    VerifyChart *m_chart = nullptr;
    VerifyTablePane *m_tablePane = nullptr;
};

} // namespace rollup
