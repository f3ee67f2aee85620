#pragma once

#include "core/account.h"
#include "core/connectionsettings.h"
#include "jobs/timezonechange.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>

namespace date {
class time_zone;
}

namespace Ui {
class TimezoneDialog;
}

namespace rollup {

class ZoneCatalogueModel;
class ZoneFilterModel;

// Picks an account's reporting_timezone: searchable IANA zone list with an offset filter, a
// preview of the chosen zone's day windows (today + 7 days), when today closes and when today can
// be backfilled. Reads the account's rollup coverage and saves through TimezoneChange, both off
// the GUI thread. Always writes the IANA id. With a read-only connection Save, Clear and the
// re-backfill offer are greyed out. GUI thread only.
class TimezoneDialog : public QDialog
{
    Q_OBJECT
public:
    TimezoneDialog(const ConnectionSettings &settings, const AccountRow &account, QWidget *parent = nullptr);
    ~TimezoneDialog() override;

    // Pins "now" (today's date in the preview, the offsets in the list); default: system clock.
    void setNow(SysSeconds now);
    SysSeconds now() const { return m_now; }
    // "This computer's" zone for the preview; default date::current_zone() (UTC if unknown).
    void setLocalZone(const date::time_zone *zone);

    QString selectedZone() const; // IANA id, empty when nothing is selected
    bool selectZone(const QString &ianaId); // false when the zone is not listed (or filtered out)
    bool coverageKnown() const { return m_coverageKnown; }
    const RollupCoverage &coverage() const { return m_coverage; }
    const TimezoneSave &lastSave() const { return m_lastSave; }
    ZoneCatalogueModel *zoneModel() const { return m_zones; }
    ZoneFilterModel *zoneProxy() const { return m_proxy; }

public slots:
    void reject() override; // ignored while a save is in flight

signals:
    void coverageReady();
    // After a successful write; newIanaId empty when the key was removed. lastSave() has the old value.
    void saved(qint64 accountId, const QString &newIanaId);
    void saveFailed(const QString &error);
    void rebackfillAllRequested(qint64 accountId);

protected:
    // Return/Enter never activates Save (QDialogButtonBox makes it the default button on show):
    // in the search boxes it moves to the list; saving takes an explicit click or Alt+S.
    void keyPressEvent(QKeyEvent *event) override;
    void showEvent(QShowEvent *event) override; // undoes the button box's default button

private:
    void onOffsetEdited(const QString &text);
    void onCoverage();
    void onSaved();
    void startSave(const QString &ianaId);
    void updatePreview();
    void updateWarning();
    void updateButtons();
    void updateCount();

    const std::unique_ptr<Ui::TimezoneDialog> m_ui;
    ConnectionSettings m_settings;
    AccountRow m_account;
    ZoneResolution m_oldZone;
    SysSeconds m_now;
    const date::time_zone *m_localZone = nullptr;
    ZoneCatalogueModel *m_zones = nullptr;
    ZoneFilterModel *m_proxy = nullptr;
    RollupCoverage m_coverage;
    bool m_coverageKnown = false;
    QString m_coverageError;
    bool m_saving = false;
    bool m_rebackfillAfterSave = false;
    TimezoneSave m_lastSave;
    QFutureWatcher<CoverageLoad> m_coverageWatcher;
    QFutureWatcher<TimezoneSave> m_saveWatcher;
};

} // namespace rollup
