#pragma once

#include "core/localdate.h"
#include "core/connectionsettings.h"
#include "jobs/verifyjob.h"
#include "ui/verifymodel.h"

#include <QFutureWatcher>
#include <QList>
#include <QWidget>

#include <memory>
#include <optional>

class QAbstractButton;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace rollup {

class CalendarGrid;
class RawEventsDialog;
class VerifyChart;
class VerifyFilterModel;

// What a verify run hands to the GUI thread: the outcome and the table data prepared with it
// on the worker thread.
struct VerifyLoad
{
    VerifyOutcome outcome;
    VerifyModel::Data table;
};

// Rollup rows against raw aggregates for one account (issue 6, GUI part): header with the
// summary, heatmap of the worst status per day, filterable table, per-day chart, drill-down,
// re-backfill requests, export, and the report_rollup read-path flag. Every database access
// runs on a pool thread with its own connection (VerifyJob). GUI thread only.
class VerifyView : public QWidget
{
    Q_OBJECT
public:
    // The summary's link that re-backfills the days of stored rows outside the range.
    static constexpr const char *kRebackfillOutsideLink = "rebackfill-outside";
    explicit VerifyView(QWidget *parent = nullptr);
    ~VerifyView() override;

    // Drops the shown result (another database) and cancels a verify in flight.
    void setConnectionSettings(const ConnectionSettings &settings);
    // Empty from/to: the backfill's default range (the account's whole history). A verify in
    // flight is cancelled on the server and this one runs after it.
    void verifyAccount(qint64 accountId, const QString &from = {}, const QString &to = {});

    bool isRunning() const;
    qint64 accountId() const { return m_accountId; }
    const VerifyOutcome &outcome() const { return m_outcome; }
    VerifyModel *model() const { return m_model; }
    VerifyFilterModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    CalendarGrid *heatmap() const { return m_heatmap; }
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
    void exportTable();    // asks for a file (CSV or JSON by suffix)
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
    QWidget *buildTablePane();
    void start(const VerifyRequest &request);
    void onFinished();
    void apply(VerifyLoad load);
    void clearResult(const QString &message);
    void fillFilterCombos();
    void fitColumns();
    void updateHeatmap();
    void updateSummary();
    void updateReadPath();
    void updateButtons();
    void updateCount();
    void onDayClicked(date::local_days day);
    void onFlagChanged();
    void onExported();
    void setMessage(const QString &text);

    ConnectionSettings m_settings;
    qint64 m_accountId = 0;
    VerifyOutcome m_outcome;
    std::optional<VerifyRequest> m_pending;
    bool m_running = false; // from start() until onFinished()
    bool m_columnsFitted = false;
    quint64 m_generation = 0;    // bumped by setConnectionSettings()
    quint64 m_runGeneration = 0; // m_generation when the running verify started
    Job<VerifyOutcome> m_job;
    QFutureWatcher<VerifyOutcome> m_progress;
    QFutureWatcher<VerifyLoad> m_watcher;
    QFutureWatcher<ReadPathChange> m_flagWatcher;
    QFutureWatcher<QString> m_exportWatcher;
    QString m_exportPath;

    VerifyModel *m_model = nullptr;
    VerifyFilterModel *m_proxy = nullptr;
    QLabel *m_title = nullptr;
    QCheckBox *m_custom = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_readPath = nullptr;
    QPushButton *m_enableButton = nullptr;
    CalendarGrid *m_heatmap = nullptr;
    QLabel *m_dayLabel = nullptr;
    QPushButton *m_clearDay = nullptr;
    VerifyChart *m_chart = nullptr;
    QComboBox *m_dimensionFilter = nullptr;
    QComboBox *m_metricFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QCheckBox *m_onlyDifferences = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_rebackfillSelected = nullptr;
    QPushButton *m_rebackfillDiffering = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace rollup
