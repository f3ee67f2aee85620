// VerifyView's actions: drill-down, re-backfill requests, export and the read-path flag.
#include "ui/verifyview.h"

#include "core/featurebits.h"
#include "ui/readpathsettings.h"
#include "ui/raweventsdialog.h"
#include "core/verifyexport.h"
#include "ui/verifyfiltermodel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace rollup {

QAbstractButton *VerifyView::enableReadPathButton() const { return m_enableButton; }

QString VerifyView::readPathText() const { return m_readPath->text(); }

QList<CompareRow> VerifyView::filteredRows() const
{
    QList<CompareRow> rows;
    const int n = m_proxy->rowCount();
    rows.reserve(n);
    for (int i = 0; i < n; ++i)
        rows.append(m_model->rowAt(m_proxy->mapToSource(m_proxy->index(i, 0)).row()));
    return rows;
}

QList<date::local_days> VerifyView::selectedDays() const
{
    QList<date::local_days> days;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        days.append(m_model->rowAt(m_proxy->mapToSource(index).row()).date);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}

RawEventsDialog *VerifyView::openDrillDown(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid() || proxyIndex.model() != m_proxy)
        return nullptr;
    const int row = m_proxy->mapToSource(proxyIndex).row();
    const CompareRow &r = m_model->rowAt(row);
    auto *dialog = new RawEventsDialog(m_settings, m_outcome.result.plan.account.id, m_outcome.result.plan.zone.zone, r,
                                       VerifyModel::nameOf(m_model->data(), r.dimensionType, r.dimensionId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void VerifyView::rebackfillSelectedDays()
{
    const QList<date::local_days> days = selectedDays();
    if (m_accountId > 0 && !days.isEmpty())
        emit rebackfillRequested(m_accountId, days);
}

void VerifyView::rebackfillDifferingDays()
{
    const QList<date::local_days> days = m_outcome.differingDays();
    if (m_accountId > 0 && !days.isEmpty())
        emit rebackfillRequested(m_accountId, days);
}

void VerifyView::updateButtons()
{
    const bool running = isRunning();
    const bool haveRows = m_model->rowCount() > 0;
    m_verifyButton->setEnabled(m_accountId > 0);
    m_cancelButton->setEnabled(running);
    m_rebackfillSelected->setEnabled(!running && haveRows && m_table->selectionModel()->hasSelection());
    const int differing = int(m_outcome.differingDays().size());
    m_rebackfillDiffering->setEnabled(!running && differing > 0);
    m_rebackfillDiffering->setText(differing > 0 ? tr("Re-backfill &all %n differing day(s)", nullptr, differing)
                                                 : tr("Re-backfill &all differing days"));
    m_export->setEnabled(!running && haveRows && !m_exportWatcher.isRunning());
}

void VerifyView::updateReadPath()
{
    const int bit = ReadPathSettings::reportRollupBit();
    const QString flag = tr("<b>report_rollup</b> (bit %1)").arg(bit);
    QString reason;
    const bool eligible = VerifyJob::readPathEligible(m_outcome, &reason);
    const bool known = m_outcome.featureFlags.has_value() && m_outcome.request.accountId > 0;
    const bool on = known && FeatureBits::isSet(*m_outcome.featureFlags, bit);
    QString text;
    if (!known) {
        text = tr("Read path %1: unknown until the account is verified.").arg(flag);
    } else if (on) {
        text = tr("Read path %1 is <b>on</b>: Chatwoot's reports for this account read the rollups.").arg(flag);
        if (m_outcome.ok() && !m_outcome.result.summary.clean())
            text += QStringLiteral(" <span style='color:#c62828'>%1</span>")
                        .arg(tr("The rollups differ from the raw events on %n day(s): those reports are wrong.", nullptr,
                                int(m_outcome.result.summary.daysWithDifferences)));
    } else {
        text = tr("Read path %1 is <b>off</b>: reports read the raw events.").arg(flag);
        text += QLatin1Char(' ')
            + (eligible ? tr("The whole history verified clean: the rollups can be switched on.")
                        : tr("It can be switched on after a clean verify of the whole history (%1).").arg(reason.toHtmlEscaped()));
    }
    m_readPath->setText(text);
    const bool canEnable = eligible && known && !on && !m_settings.readOnly && !isRunning() && !m_flagWatcher.isRunning();
    m_enableButton->setEnabled(canEnable);
    m_enableButton->setToolTip(canEnable ? tr("Sets bit %1 of accounts.feature_flags with one UPDATE; other bits stay").arg(bit)
                               : m_settings.readOnly ? tr("The connection is read-only")
                               : on                  ? tr("Already on")
                                                     : reason);
}

void VerifyView::enableReadPath()
{
    QString reason;
    if (!VerifyJob::readPathEligible(m_outcome, &reason)) {
        setMessage(tr("Not enabled: %1.").arg(reason));
        return;
    }
    const int bit = ReadPathSettings::reportRollupBit();
    const BackfillPlan &plan = m_outcome.result.plan;
    const QString question =
        tr("Switch on report_rollup (bit %1, value %2) for account %3 (%4)?\n\n"
           "Chatwoot's reports for this account will then be read from reporting_events_rollups. The verify of its "
           "whole history (%5 .. %6, %7 keys) found no differences.\n\n"
           "This runs one UPDATE that sets only this bit; every other feature flag stays as it is.")
            .arg(bit)
            .arg(FeatureBits::mask(bit))
            .arg(plan.account.id)
            .arg(plan.account.name, formatLocalDate(plan.range.from), formatLocalDate(plan.range.to))
            .arg(QLocale().toString(m_outcome.result.summary.keys));
    if (QMessageBox::question(this, tr("Enable the rollup read path"), question, QMessageBox::Yes | QMessageBox::No,
                              QMessageBox::No)
        != QMessageBox::Yes)
        return;
    m_flagWatcher.setFuture(VerifyJob::enableReadPath(m_settings, m_outcome, bit).future);
    updateReadPath();
}

void VerifyView::onFlagChanged()
{
    const ReadPathChange change = m_flagWatcher.result();
    if (change.done()) {
        if (change.accountId == m_outcome.request.accountId)
            m_outcome.featureFlags = change.after;
        setMessage(tr("report_rollup enabled for account %1 (feature_flags %2 → %3).")
                       .arg(change.accountId)
                       .arg(change.before.value_or(-1))
                       .arg(*change.after));
    } else {
        setMessage(tr("Not enabled: %1").arg(change.refusal.isEmpty() ? change.error : change.refusal));
    }
    updateReadPath();
    emit readPathChanged(change);
}

void VerifyView::exportTable()
{
    const BackfillPlan &plan = m_outcome.result.plan;
    const QString suggested = plan.empty() ? QStringLiteral("verify.csv")
                                           : QStringLiteral("verify-account-%1-%2-%3.csv")
                                                 .arg(plan.account.id)
                                                 .arg(formatLocalDate(plan.range.from), formatLocalDate(plan.range.to));
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export verify table"), suggested,
                                                tr("CSV (*.csv);;JSON (*.json)"), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    exportTo(path);
}

void VerifyView::exportTo(const QString &path)
{
    if (m_exportWatcher.isRunning())
        return;
    const QList<CompareRow> rows = filteredRows();
    m_exportPath = path;
    m_exportWatcher.setFuture(QtConcurrent::run([path, rows]() {
        QString error;
        VerifyExport::writeFile(path, VerifyExport::formatForPath(path), rows, &error);
        return error;
    }));
    setMessage(tr("Exporting %n row(s)…", nullptr, int(rows.size())));
    updateButtons();
}

void VerifyView::onExported()
{
    const QString error = m_exportWatcher.result();
    setMessage(error.isEmpty() ? tr("Exported to %1.").arg(m_exportPath) : tr("Export failed: %1").arg(error));
    updateButtons();
    emit exported(m_exportPath, error);
}

} // namespace rollup
