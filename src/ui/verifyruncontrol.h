#pragma once

#include "core/localdate.h"
#include "core/rangeplan.h"
#include "jobs/verifyjob.h"

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QDateEdit;
class QProgressBar;
class QPushButton;

namespace rollup {

// The verify page's run row: the range (the account's whole history, or a chosen from .. to),
// Verify and Cancel, and the progress of the verify in flight. Starts no work: the page starts
// the job on Verify and hands its future to started(); this only watches the future's progress.
// GUI thread only.
class VerifyRunControl : public QWidget
{
    Q_OBJECT
public:
    explicit VerifyRunControl(QWidget *parent = nullptr);

    // The range the editor asks for: empty from/to while "Chosen range" is off (whole history).
    RangeRequest range() const;
    // Shows a request's range: "Chosen range" on with the given dates, off when both are empty.
    void showRequest(const QString &from, const QString &to);
    // A finished verify's range goes into the date editors, unless a range is chosen.
    void showPlannedRange(date::local_days from, date::local_days to);
    // Verify is enabled only while an account is chosen.
    void setCanVerify(bool can);
    // A verify runs: its progress in the bar, Cancel enabled; until finished().
    void started(const QFuture<VerifyOutcome> &run);
    void finished();

signals:
    void verifyClicked();
    void cancelClicked();

private:
    QCheckBox *m_custom = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_busy = nullptr;
    QFutureWatcher<VerifyOutcome> m_progress;
};

} // namespace rollup
