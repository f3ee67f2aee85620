#include "ui/timezonedialog.h"

#include "ui/palette.h"

#include "ui_timezonedialog.h"

#include "core/daywindow.h"
#include "ui/zonecataloguemodel.h"
#include "ui/zonefiltermodel.h"

#include <QDate>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLocale>
#include <QPushButton>

#include <date/tz.h>

namespace rollup {

namespace {

constexpr int kPreviewDays = 8; // today and the next 7 local days

QString inZone(const date::time_zone *zone, SysSeconds t)
{
    return QString::fromStdString(date::format("%F %H:%M %Z", date::make_zoned(zone, t)));
}

QString inUtc(SysSeconds t)
{
    return QString::fromStdString(date::format("%F %H:%M UTC", t));
}

const date::time_zone *defaultLocalZone()
{
    try {
        return date::current_zone();
    } catch (const std::exception &) {
        return date::locate_zone("UTC");
    }
}

} // namespace

TimezoneDialog::TimezoneDialog(const ConnectionSettings &settings, const AccountRow &account, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::TimezoneDialog>()), m_settings(settings), m_account(account),
      m_oldZone(account.zone()), m_now(currentTime()), m_localZone(defaultLocalZone())
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Reporting time zone — account %1").arg(account.id));

    const QString stored = account.settingsNull                   ? tr("(settings NULL)")
                           : account.storedTimezone.isUndefined() ? tr("(absent)")
                                                                  : QStringLiteral("'%1'").arg(account.storedTimezoneText());
    m_ui->accountLabel->setTextFormat(Qt::PlainText);
    m_ui->accountLabel->setText(tr("Account %1 — %2\nStored reporting_timezone: %3 (%4)")
                                    .arg(account.id)
                                    .arg(account.name, stored, m_oldZone.describe()));

    m_zones = new ZoneCatalogueModel(this);
    m_zones->setInstant(m_now);
    m_proxy = new ZoneFilterModel(m_zones, this);
    m_ui->zoneView->setModel(m_proxy);
    m_ui->zoneView->sortByColumn(ZoneCatalogueModel::Zone, Qt::AscendingOrder);
    m_ui->zoneView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_ui->zoneView->resizeColumnsToContents();
    m_ui->zoneView->setColumnWidth(ZoneCatalogueModel::Zone, 210);

    const int rowHeight = fontMetrics().height() + 6;
    m_ui->mainLayout->setStretchFactor(m_ui->splitter, 1);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    m_ui->zoneView->setWordWrap(false);
    m_ui->zoneView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_ui->zoneView->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_ui->previewTable->setWordWrap(false);
    m_ui->previewTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_ui->previewTable->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_ui->previewTable->setFixedHeight(rowHeight * (kPreviewDays + 1) + 2 * m_ui->previewTable->frameWidth() + 4);
    m_ui->previewTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->previewLayout->addStretch(1);
    m_ui->previewTable->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_ui->previewTable->setColumnCount(4);
    m_ui->previewTable->setHorizontalHeaderLabels({tr("Local day"), tr("UTC start"), tr("UTC end"), tr("Hours")});
    m_ui->previewTable->setRowCount(kPreviewDays);

    for (QAbstractButton *b : m_ui->buttonBox->buttons())
        if (auto *push = qobject_cast<QPushButton *>(b)) {
            push->setAutoDefault(false); // Enter in the search box must not save
            push->setDefault(false);
        }

    connect(m_ui->searchEdit, &QLineEdit::textChanged, m_proxy, &ZoneFilterModel::setSearchText);
    connect(m_ui->offsetEdit, &QLineEdit::textChanged, this, &TimezoneDialog::onOffsetEdited);
    for (QLineEdit *edit : {m_ui->searchEdit, m_ui->offsetEdit})
        connect(edit, &QLineEdit::returnPressed, this, [this]() {
            if (m_proxy->rowCount() > 0 && selectedZone().isEmpty())
                m_ui->zoneView->selectRow(0);
            m_ui->zoneView->setFocus();
        });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TimezoneDialog::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TimezoneDialog::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TimezoneDialog::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TimezoneDialog::updateCount);
    connect(m_ui->zoneView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
        updatePreview();
        updateWarning();
        updateButtons();
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, [this]() { startSave(selectedZone()); });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &TimezoneDialog::reject);
    connect(m_ui->clearButton, &QPushButton::clicked, this, [this]() { startSave(QString()); });
    connect(&m_coverageWatcher, &QFutureWatcher<CoverageLoad>::finished, this, &TimezoneDialog::onCoverage);
    connect(&m_saveWatcher, &QFutureWatcher<TimezoneSave>::finished, this, &TimezoneDialog::onSaved);

    // The stored text itself when it is listed ("UTC" is a Rails name and a zone id), else its IANA id.
    if (m_oldZone.usable() && !selectZone(m_oldZone.stored))
        selectZone(m_oldZone.ianaId);
    if (settings.readOnly)
        m_ui->statusLabel->setText(tr("Read-only connection: saving is disabled (the server would refuse the write)."));
    updateCount();
    updatePreview();
    updateWarning();
    updateButtons();
    m_coverageWatcher.setFuture(TimezoneChange::coverage(settings, account.id).future);
    m_ui->searchEdit->setFocus();
}

// The workers capture only values: nothing to wait for.
TimezoneDialog::~TimezoneDialog() = default;

void TimezoneDialog::setNow(SysSeconds now)
{
    const QString selected = selectedZone();
    m_now = now;
    m_zones->setInstant(now);
    if (!selected.isEmpty())
        selectZone(selected);
    updatePreview();
}

void TimezoneDialog::setLocalZone(const date::time_zone *zone)
{
    m_localZone = zone ? zone : defaultLocalZone();
    updatePreview();
}

QString TimezoneDialog::selectedZone() const
{
    const QModelIndexList rows = m_ui->zoneView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ZoneCatalogueModel::ZoneIdRole).toString();
}

bool TimezoneDialog::selectZone(const QString &ianaId)
{
    const int sourceRow = m_zones->rowOf(ianaId);
    if (sourceRow < 0)
        return false;
    const QModelIndex proxyIndex = m_proxy->mapFromSource(m_zones->index(sourceRow, 0));
    if (!proxyIndex.isValid())
        return false;
    m_ui->zoneView->selectRow(proxyIndex.row());
    m_ui->zoneView->scrollTo(proxyIndex, QAbstractItemView::PositionAtCenter);
    return true;
}

void TimezoneDialog::onOffsetEdited(const QString &text)
{
    if (text.trimmed().isEmpty()) {
        m_proxy->setOffset(std::nullopt);
        m_ui->offsetHint->clear();
        return;
    }
    const std::optional<int> seconds = ZoneCatalogue::parseOffset(text);
    m_proxy->setOffset(seconds);
    if (seconds)
        m_ui->offsetHint->setText(tr("zones at UTC%1 now or in standard time").arg(ZoneCatalogue::formatOffset(*seconds)));
    else
        m_ui->offsetHint->setText(tr("<span style='color:#b02020'>not a UTC offset (try +5:30, -3, +05:45)</span>"));
}

void TimezoneDialog::updateCount()
{
    m_ui->zoneCountLabel->setText(tr("%1 of %2 zones shown").arg(m_proxy->rowCount()).arg(m_zones->rowCount()));
}

void TimezoneDialog::updatePreview()
{
    const QString id = selectedZone();
    const ZoneResolution zone = ZoneResolver::resolveName(id);
    QTableWidget *table = m_ui->previewTable;
    if (!zone.usable()) {
        m_ui->zoneTitle->setText(tr("No zone selected"));
        table->setRowCount(0);
        for (QLabel *l : {m_ui->closesZoneLabel, m_ui->closesUtcLabel, m_ui->closesLocalLabel, m_ui->earliestLabel})
            l->clear();
        return;
    }
    const ZoneEntry entry = ZoneCatalogue::entry(id, m_now);
    QString title = tr("%1 — %2, UTC%3 now").arg(id, entry.abbreviation, ZoneCatalogue::formatOffset(entry.offsetSeconds));
    title += entry.dst
                 ? tr(" (daylight saving time; standard UTC%1)").arg(ZoneCatalogue::formatOffset(entry.standardOffsetSeconds))
                 : tr(" (standard time)");
    if (entry.nextTransition)
        title += tr("; next change %1").arg(inZone(zone.zone, *entry.nextTransition));
    if (!entry.railsNames.isEmpty())
        title += tr("\nRails names: %1").arg(entry.railsNames.join(QLatin1String(", ")));
    m_ui->zoneTitle->setText(title);

    const date::local_days today = DayWindows::today(zone.zone, m_now);
    const QList<DayWindow> windows = DayWindows::windows(zone.zone, today, today + date::days{kPreviewDays - 1});
    table->setRowCount(int(windows.size()));
    for (int i = 0; i < windows.size(); ++i) {
        const DayWindow &w = windows.at(i);
        QString day
            = QStringLiteral("%1 %2").arg(formatLocalDate(w.day), QLocale().toString(toQDate(w.day), QStringLiteral("ddd")));
        if (i == 0)
            day = tr("%1 (today)").arg(day);
        const QStringList cells = {day, QString::fromStdString(date::format("%F %H:%M", w.start)),
                                   QString::fromStdString(date::format("%F %H:%M", w.end)), w.hoursText()};
        const bool unusual = w.length() != std::chrono::hours{24};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c == 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (unusual) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setBackground(Palette::highlightBackground());
                item->setToolTip(tr("Clock change: this local day is %1 hours long").arg(w.hoursText()));
            }
            table->setItem(i, c, item);
        }
    }

    const SysSeconds closes = windows.first().end;
    const SysSeconds earliest = closes + std::chrono::minutes{30};
    const auto untilText = [this](SysSeconds t) {
        const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(t - m_now).count();
        if (minutes <= 0)
            return tr("now");
        return tr("in %1 h %2 min").arg(minutes / 60).arg(minutes % 60);
    };
    m_ui->closesZoneLabel->setText(tr("%1 (%2)").arg(inZone(zone.zone, closes), untilText(closes)));
    m_ui->closesUtcLabel->setText(inUtc(closes));
    m_ui->closesLocalLabel->setText(inZone(m_localZone, closes));
    m_ui->earliestLabel->setText(
        tr("%1 = %2 = %3 on this computer (next local midnight + 30 min, %4)")
            .arg(inZone(zone.zone, earliest), inUtc(earliest), inZone(m_localZone, earliest), untilText(earliest)));
}

void TimezoneDialog::updateWarning()
{
    if (!m_coverageKnown) {
        m_ui->warningFrame->setVisible(true);
        m_ui->warningLabel->setText(tr("Checking existing rollups of account %1…").arg(m_account.id));
        m_ui->rebackfillCheck->setVisible(false);
        return;
    }
    if (!m_coverageError.isEmpty()) {
        m_ui->warningFrame->setVisible(true);
        m_ui->warningLabel->setText(tr("Could not read the existing rollups: %1").arg(m_coverageError));
        m_ui->rebackfillCheck->setVisible(false);
        return;
    }
    if (m_coverage.rows == 0) {
        m_ui->warningFrame->setVisible(false);
        m_ui->rebackfillCheck->setChecked(false);
        return;
    }
    const QString selected = selectedZone();
    const TimezoneImpact impact = TimezoneChange::impact(m_oldZone, selected, m_coverage);
    const bool changes = !selected.isEmpty() && impact.bucketsChange;
    const QString range = AccountStats::coverageText(m_coverage);
    QString text = tr("Account %1 already has %2 rollup rows over %3 days (%4), bucketed in %5.")
                       .arg(m_account.id)
                       .arg(QLocale().toString(m_coverage.rows), QLocale().toString(m_coverage.days), range, impact.bucketedIn);
    if (changes)
        text += QLatin1Char(' ')
                + tr("Saving %1 does not move them: those days keep the old zone's day boundaries until they are backfilled "
                     "again.")
                      .arg(selected);
    else
        text += QLatin1Char(' ')
                + tr("Keeping this zone keeps them valid. Clearing the zone stops the live rollups; the existing rows stay.");
    m_ui->warningFrame->setVisible(true);
    m_ui->warningLabel->setText(text);
    m_ui->rebackfillCheck->setVisible(true);
    m_ui->rebackfillCheck->setEnabled(changes && !m_settings.readOnly && !m_saving);
    if (!changes)
        m_ui->rebackfillCheck->setChecked(false);
}

void TimezoneDialog::updateButtons()
{
    const QString selected = selectedZone();
    const bool writable = !m_settings.readOnly && !m_saving;
    const bool unchanged = m_account.storedTimezone.isString() && m_account.storedTimezone.toString() == selected;
    QPushButton *save = m_ui->buttonBox->button(QDialogButtonBox::Save);
    save->setEnabled(writable && m_coverageKnown && !selected.isEmpty() && !unchanged);
    save->setToolTip(m_settings.readOnly  ? tr("Read-only connection")
                     : unchanged          ? tr("%1 is already stored").arg(selected)
                     : selected.isEmpty() ? tr("Select a zone first")
                                          : tr("Write %1 to settings.reporting_timezone").arg(selected));
    m_ui->clearButton->setEnabled(writable && m_coverageKnown && !m_account.storedTimezone.isUndefined());
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setEnabled(!m_saving);
}

void TimezoneDialog::onCoverage()
{
    const CoverageLoad result = m_coverageWatcher.result();
    m_coverage = result.coverage;
    m_coverageError = result.error;
    m_coverageKnown = true;
    updateWarning();
    updateButtons();
    emit coverageReady();
}

void TimezoneDialog::startSave(const QString &ianaId)
{
    if (m_saving || m_settings.readOnly)
        return;
    m_saving = true;
    m_rebackfillAfterSave = !ianaId.isEmpty() && !m_ui->rebackfillCheck->isHidden() && m_ui->rebackfillCheck->isEnabled()
                            && m_ui->rebackfillCheck->isChecked();
    m_ui->statusLabel->setText(ianaId.isEmpty() ? tr("Clearing reporting_timezone…") : tr("Saving %1…").arg(ianaId));
    updateButtons();
    updateWarning();
    m_saveWatcher.setFuture(TimezoneChange::startSave(m_settings, m_account.id, ianaId).future);
}

void TimezoneDialog::onSaved()
{
    m_lastSave = m_saveWatcher.result();
    m_saving = false;
    if (!m_lastSave.error.isEmpty()) {
        m_ui->statusLabel->setText(tr("<span style='color:#b02020'>Not saved: %1</span>").arg(m_lastSave.error.toHtmlEscaped()));
        updateButtons();
        updateWarning();
        emit saveFailed(m_lastSave.error);
        return;
    }
    emit saved(m_account.id, m_lastSave.newIanaId);
    if (m_rebackfillAfterSave)
        emit rebackfillAllRequested(m_account.id);
    accept();
}

void TimezoneDialog::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->accept();
        return;
    }
    QDialog::keyPressEvent(event);
}

void TimezoneDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    for (QAbstractButton *b : m_ui->buttonBox->buttons())
        if (auto *push = qobject_cast<QPushButton *>(b))
            push->setDefault(false);
}

void TimezoneDialog::reject()
{
    if (m_saving)
        return;
    QDialog::reject();
}

} // namespace rollup
