#include "ui/verifyruncontrol.h"

#include "ui/localeformat.h"

#include <QCheckBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace rollup {

VerifyRunControl::VerifyRunControl(QWidget *parent) : QWidget(parent)
{
    m_custom = new QCheckBox(tr("Chosen range:"), this);
    m_custom->setToolTip(tr("Off: the account's whole history (first event's day .. yesterday), like the backfill"));
    m_from = new QDateEdit(this);
    m_to = new QDateEdit(this);
    for (QDateEdit *e : {m_from, m_to}) {
        e->setDisplayFormat(LocaleFormat::dateFormat());
        e->setCalendarPopup(true);
        e->setEnabled(false);
        e->setDate(QDate::currentDate().addDays(-1));
    }
    connect(m_custom, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_custom, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    m_verifyButton = new QPushButton(tr("&Verify"), this);
    m_verifyButton->setDefault(true);
    m_verifyButton->setEnabled(false);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setEnabled(false);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, VerifyJob::kSteps);
    m_busy->setMaximumWidth(260);
    m_busy->setVisible(false);
    connect(m_verifyButton, &QPushButton::clicked, this, &VerifyRunControl::verifyClicked);
    connect(m_cancelButton, &QPushButton::clicked, this, &VerifyRunControl::cancelClicked);
    connect(&m_progress, &QFutureWatcher<VerifyOutcome>::progressValueChanged, m_busy, &QProgressBar::setValue);
    connect(&m_progress, &QFutureWatcher<VerifyOutcome>::progressTextChanged, m_busy, &QProgressBar::setFormat);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_busy);
    layout->addWidget(m_custom);
    layout->addWidget(m_from);
    layout->addWidget(new QLabel(tr("to"), this));
    layout->addWidget(m_to);
    layout->addWidget(m_verifyButton);
    layout->addWidget(m_cancelButton);
}

RangeRequest VerifyRunControl::range() const
{
    RangeRequest range;
    if (m_custom->isChecked()) {
        range.from = m_from->date().toString(Qt::ISODate);
        range.to = m_to->date().toString(Qt::ISODate);
    }
    return range;
}

void VerifyRunControl::showRequest(const QString &from, const QString &to)
{
    {
        const QSignalBlocker block(m_custom);
        m_custom->setChecked(!from.isEmpty() || !to.isEmpty());
        m_from->setEnabled(m_custom->isChecked());
        m_to->setEnabled(m_custom->isChecked());
    }
    if (!from.isEmpty())
        m_from->setDate(QDate::fromString(from, Qt::ISODate));
    if (!to.isEmpty())
        m_to->setDate(QDate::fromString(to, Qt::ISODate));
}

void VerifyRunControl::showPlannedRange(date::local_days from, date::local_days to)
{
    if (m_custom->isChecked())
        return;
    m_from->setDate(toQDate(from));
    m_to->setDate(toQDate(to));
}

void VerifyRunControl::setCanVerify(bool can)
{
    m_verifyButton->setEnabled(can);
}

void VerifyRunControl::started(const QFuture<VerifyOutcome> &run)
{
    m_progress.setFuture(run);
    m_busy->setValue(0);
    m_busy->setFormat(tr("Starting…"));
    m_busy->setVisible(true);
    m_cancelButton->setEnabled(true);
}

void VerifyRunControl::finished()
{
    m_busy->setVisible(false);
    m_cancelButton->setEnabled(false);
}

} // namespace rollup
