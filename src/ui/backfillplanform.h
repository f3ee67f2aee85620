#pragma once

#include "jobs/backfilljob.h"

#include <QGroupBox>
#include <QList>

#include <memory>
#include <optional>

namespace Ui {
class BackfillPlanForm;
}

namespace rollup {

// The plan half of the backfill view (form: ui/backfillplanform.ui): account and zone, the
// local-day range, Include today, the rewrite mode, the long-range confirmation, the action
// buttons and the message line. It shows plan outcomes and turns its fields into the next
// BackfillPlanRequest; it runs nothing and decides nothing about the run: the buttons only emit
// signals, and the view says which actions are available (setActions). GUI thread only.
class BackfillPlanForm : public QGroupBox
{
    Q_OBJECT
public:
    // What the view allows now. The form adds what depends on its own fields (range known,
    // mode, account) to the range, mode and confirmation controls.
    struct Actions
    {
        bool editable = false; // nothing in flight: fields and Dry run can be used
        bool start = false;
        bool cancel = false;
        bool retry = false;
        QString retryText; // the retry button's text (with its mnemonic)
        bool verify = false;
    };

    explicit BackfillPlanForm(QWidget *parent = nullptr);
    ~BackfillPlanForm() override;

    // Starts over for `accountId`: range unknown ("—"), Include today off, the mode "All days"
    // or, with `listedDays` (sorted, unique), "Only the listed days". `differingDays`: the days
    // the last verify of the account found different, nullopt when it has not been verified.
    void reset(qint64 accountId, const QList<date::local_days> &listedDays,
               const std::optional<QList<date::local_days>> &differingDays);
    // A newer verify of the current account: relabels the "Only days that differ" mode.
    void setDifferingDays(const QList<date::local_days> &days);
    // Shows a plan outcome (refused ones too): account, zone, range, today's hint. The form keeps
    // it as the plan shown.
    void showOutcome(const BackfillPlanOutcome &outcome);
    const std::optional<BackfillPlanOutcome> &shownPlan() const { return m_shown; }

    // The plan the fields describe. The range is left to the planner (discovered) until a
    // range was discovered, and in "Only the listed days".
    BackfillPlanRequest request() const;
    // True when the planner will discover the range (the first plan of an account).
    bool discoversRange() const;
    BackfillMode mode() const;
    QString modeText() const;
    // The fields no longer describe the plan shown (range, mode or Include today edited).
    bool differsFromShownPlan() const;
    // The range is longer than RangePlanner::kLongRangeDays and the account id is not typed.
    bool needsConfirmation() const;
    bool isConfirmed() const;
    void focusConfirmation();

    void setActions(const Actions &actions);
    void setMessage(const QString &text, bool error = false);

signals:
    // The user changed the range, Include today or the mode (not emitted when the form itself
    // updates them).
    void planEdited();
    void confirmationEdited();
    void dryRunClicked();
    void startClicked();
    void cancelClicked();
    void retryClicked();
    void verifyClicked();
    void timezoneEditClicked();

private:
    void fillModes();
    void includeTodayToggled(bool on);
    void resetRange();
    int rangeDays() const;
    QString todayHint() const;

    const std::unique_ptr<Ui::BackfillPlanForm> m_ui;
    qint64 m_accountId = 0;
    QList<date::local_days> m_listedDays;
    std::optional<QList<date::local_days>> m_differingDays;
    std::optional<BackfillPlanOutcome> m_shown;
    std::optional<DateRange> m_discovered; // the range the first plan of the account found
};

} // namespace rollup
