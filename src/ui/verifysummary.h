#pragma once

#include "core/localdate.h"
#include "jobs/verifyjob.h"

#include <QList>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace rollup {

// The verify page's header: the account as title, the summary of the shown result (range, keys
// compared, match rate, count per status, days with differences, time) with its one link —
// re-backfill the days of stored rows outside the range — and a line for the page's messages
// (verify cancelled, export written, read path enabled…). Shows what it is given and starts no
// work. GUI thread only.
class VerifySummary : public QWidget
{
    Q_OBJECT
public:
    // The summary's link that re-backfills the days of stored rows outside the range.
    static constexpr const char *kRebackfillOutsideLink = "rebackfill-outside";

    explicit VerifySummary(QWidget *parent = nullptr);

    // Puts `widget` right of the title (the page's run control); the summary owns it then.
    void addToTitleRow(QWidget *widget);
    // No result to show: "Account N" (or "Verify" when accountId <= 0) and `message` (rich
    // text) in place of the summary; the link goes away.
    void showNoResult(qint64 accountId, const QString &message);
    // A completed verify.
    void showOutcome(const VerifyOutcome &outcome);
    // One line under the summary; hidden when empty.
    void setMessage(const QString &text);

    QString text() const; // title, a newline, then the summary (rich text)
    QString message() const;

signals:
    // The link was activated: the days of the stored rows outside the range (never empty).
    void rebackfillOutsideRequested(const QList<date::local_days> &days);

private:
    void onLinkActivated(const QString &link);

    QLabel *m_title = nullptr;
    QHBoxLayout *m_titleRow = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_message = nullptr;
    QList<date::local_days> m_outsideDays; // of the shown outcome
};

} // namespace rollup
