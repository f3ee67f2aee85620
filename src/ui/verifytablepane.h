#pragma once

#include "core/connectionsettings.h"
#include "core/localdate.h"
#include "jobs/verifyjob.h"

#include <QFutureWatcher>
#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace rollup {

class RawEventsDialog;
class VerifyFilterModel;
class VerifyModel;

// The verify page's table of keys: filters (dimension, metric, status, only differences) with
// the count of shown keys, the table over a VerifyFilterModel of the page's VerifyModel, the
// actions on its rows — re-backfill the selected or all differing days (asked of the page),
// export the filtered rows — and the drill-down into one key's raw events (RawEventsDialog,
// which loads them itself). GUI thread only. The export writes its file on a pool thread
// (QtConcurrent: a local file, no database, nothing to cancel); the destructor waits for it.
class VerifyTablePane : public QWidget
{
    Q_OBJECT
public:
    // `model` is the page's and outlives the pane.
    explicit VerifyTablePane(VerifyModel *model, QWidget *parent = nullptr);
    ~VerifyTablePane() override;

    VerifyFilterModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }

    // For the drill-down.
    void setConnectionSettings(const ConnectionSettings &settings);
    // After the model took `outcome`'s rows (or was cleared with a default outcome): the filter
    // choices, the column widths (once), the actions and the count follow.
    void showResult(const VerifyOutcome &outcome);
    // Re-backfill and export are off while a verify runs.
    void setRunning(bool running);

    // The rows after filtering, in the shown order.
    QList<CompareRow> filteredRows() const;
    // Local days of the selected rows, sorted, unique.
    QList<date::local_days> selectedDays() const;
    // Opens the drill-down for a row (an index of proxy()); nullptr when invalid.
    RawEventsDialog *openDrillDown(const QModelIndex &proxyIndex);

public slots:
    void exportTable(); // asks for a file (CSV or JSON by suffix)
    void exportTo(const QString &path);

signals:
    // Selected or all differing days; never empty.
    void rebackfillRequested(const QList<date::local_days> &days);
    // The current row's key, for the chart.
    void keySelected(const QString &metric, const QString &dimensionType, qint64 dimensionId);
    void message(const QString &text);
    void exported(const QString &path, const QString &error); // error empty on success

private:
    void fillFilterCombos();
    void fitColumns();
    void updateActions();
    void updateCount();
    void onExported();

    VerifyModel *m_model = nullptr;
    VerifyFilterModel *m_proxy = nullptr;
    ConnectionSettings m_settings;
    BackfillPlan m_plan; // of the shown result: account and zone for the drill-down, export name
    QList<date::local_days> m_differingDays;
    bool m_running = false;
    bool m_columnsFitted = false;
    QFutureWatcher<QString> m_exportWatcher;
    QString m_exportPath;

    QComboBox *m_dimensionFilter = nullptr;
    QComboBox *m_metricFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QCheckBox *m_onlyDifferences = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_rebackfillSelected = nullptr;
    QPushButton *m_rebackfillDiffering = nullptr;
    QPushButton *m_export = nullptr;
};

} // namespace rollup
