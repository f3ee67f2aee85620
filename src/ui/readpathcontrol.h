#pragma once

#include "core/connectionsettings.h"
#include "jobs/verifyjob.h"

#include <QFutureWatcher>
#include <QWidget>

class QAbstractButton;
class QLabel;
class QPushButton;

namespace rollup {

// The report_rollup read path of the verified account: whether its bit (ReadPathSettings) is
// set in accounts.feature_flags as the last verify read them, whether that verify allows
// switching it on (VerifyJob::readPathEligible: a clean verify of the whole history), and the
// Enable button. After a confirmation it starts VerifyJob::enableReadPath itself (one UPDATE
// that sets only that bit, on a pool thread with its own connection), watches it, and reports
// the outcome with readPathChanged() and message(). GUI thread only; the destructor waits for
// an UPDATE in flight (one short statement).
class ReadPathControl : public QWidget
{
    Q_OBJECT
public:
    explicit ReadPathControl(QWidget *parent = nullptr);
    ~ReadPathControl() override;

    // The database the UPDATE goes to; a read-only connection never offers it.
    void setConnectionSettings(const ConnectionSettings &settings);
    // The verify the text and the offer rest on; a default VerifyOutcome: unknown.
    void setEvidence(const VerifyOutcome &outcome);
    // No offer while a verify runs.
    void setVerifyRunning(bool running);

    QAbstractButton *enableButton() const;
    QString text() const;
    bool isEnabling() const { return m_watcher.isRunning(); }

public slots:
    // Asks for a confirmation, then starts the UPDATE; refuses (message) without the evidence.
    void enableReadPath();

signals:
    // After every UPDATE attempt (done, refused or failed).
    void readPathChanged(const ReadPathChange &change);
    void message(const QString &text);

private:
    void refresh();
    void onChanged();

    ConnectionSettings m_settings;
    VerifyOutcome m_evidence;
    bool m_verifyRunning = false;
    QFutureWatcher<ReadPathChange> m_watcher;
    QLabel *m_text = nullptr;
    QPushButton *m_enable = nullptr;
};

} // namespace rollup
