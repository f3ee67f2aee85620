#include "ui/readpathcontrol.h"

#include "core/featurebits.h"
#include "ui/palette.h"
#include "ui/readpathsettings.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>

namespace rollup {

ReadPathControl::ReadPathControl(QWidget *parent) : QWidget(parent)
{
    m_text = new QLabel(this);
    m_text->setTextFormat(Qt::RichText);
    m_text->setWordWrap(true);
    m_enable = new QPushButton(tr("Enable read path…"), this);
    connect(m_enable, &QPushButton::clicked, this, &ReadPathControl::enableReadPath);
    connect(&m_watcher, &QFutureWatcher<ReadPathChange>::finished, this, &ReadPathControl::onChanged);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_enable);
    refresh();
}

ReadPathControl::~ReadPathControl()
{
    m_watcher.waitForFinished();
}

void ReadPathControl::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
    refresh();
}

void ReadPathControl::setEvidence(const VerifyOutcome &outcome)
{
    m_evidence = outcome;
    refresh();
}

void ReadPathControl::setVerifyRunning(bool running)
{
    m_verifyRunning = running;
    refresh();
}

QAbstractButton *ReadPathControl::enableButton() const
{
    return m_enable;
}

QString ReadPathControl::text() const
{
    return m_text->text();
}

void ReadPathControl::refresh()
{
    const int bit = ReadPathSettings::reportRollupBit();
    const QString flag = tr("<b>report_rollup</b> (bit %1)").arg(bit);
    QString reason;
    const bool eligible = VerifyJob::readPathEligible(m_evidence, &reason);
    const bool known = m_evidence.featureFlags.has_value() && m_evidence.request.accountId > 0;
    const bool on = known && FeatureBits::isSet(*m_evidence.featureFlags, bit);
    QString text;
    if (!known) {
        text = tr("Read path %1: unknown until the account is verified.").arg(flag);
    } else if (on) {
        text = tr("Read path %1 is <b>on</b>: Chatwoot's reports for this account read the rollups.").arg(flag);
        if (m_evidence.ok() && !m_evidence.result.summary.clean())
            text += QStringLiteral(" <span style='color:%1'>%2</span>")
                        .arg(Palette::errorText().name(),
                             tr("The rollups differ from the raw events on %n day(s): those reports are wrong.", nullptr,
                                int(m_evidence.result.summary.daysWithDifferences)));
    } else {
        text = tr("Read path %1 is <b>off</b>: reports read the raw events.").arg(flag);
        text += QLatin1Char(' ')
                + (eligible
                       ? tr("The whole history verified clean: the rollups can be switched on.")
                       : tr("It can be switched on after a clean verify of the whole history (%1).").arg(reason.toHtmlEscaped()));
    }
    m_text->setText(text);
    const bool canEnable = eligible && known && !on && !m_settings.readOnly && !m_verifyRunning && !isEnabling();
    m_enable->setEnabled(canEnable);
    m_enable->setToolTip(canEnable ? tr("Sets bit %1 of accounts.feature_flags with one UPDATE; other bits stay").arg(bit)
                         : m_settings.readOnly ? tr("The connection is read-only")
                         : on                  ? tr("Already on")
                                               : reason);
}

void ReadPathControl::enableReadPath()
{
    QString reason;
    if (!VerifyJob::readPathEligible(m_evidence, &reason)) {
        emit message(tr("Not enabled: %1.").arg(reason));
        return;
    }
    const int bit = ReadPathSettings::reportRollupBit();
    const BackfillPlan &plan = m_evidence.result.plan;
    const QString question
        = tr("Switch on report_rollup (bit %1, value %2) for account %3 (%4)?\n\n"
             "Chatwoot's reports for this account will then be read from reporting_events_rollups. The verify of its "
             "whole history (%5 .. %6, %7) found no differences.\n\n"
             "This runs one UPDATE that sets only this bit; every other feature flag stays as it is.")
              .arg(bit)
              .arg(FeatureBits::mask(bit))
              .arg(plan.account.id)
              .arg(plan.account.name, formatLocalDate(plan.range.from), formatLocalDate(plan.range.to),
                   tr("%Ln key(s)", nullptr, int(m_evidence.result.summary.keys)));
    if (QMessageBox::question(this, tr("Enable the rollup read path"), question, QMessageBox::Yes | QMessageBox::No,
                              QMessageBox::No)
        != QMessageBox::Yes)
        return;
    m_watcher.setFuture(VerifyJob::enableReadPath(m_settings, m_evidence, bit).future);
    refresh();
}

void ReadPathControl::onChanged()
{
    const ReadPathChange change = m_watcher.result();
    if (change.done()) {
        if (change.accountId == m_evidence.request.accountId)
            m_evidence.featureFlags = change.after;
        emit message(tr("report_rollup enabled for account %1 (feature_flags %2 → %3).")
                         .arg(change.accountId)
                         .arg(change.before.value_or(-1))
                         .arg(*change.after));
    } else {
        emit message(tr("Not enabled: %1").arg(change.refusal.isEmpty() ? change.error : change.refusal));
    }
    refresh();
    emit readPathChanged(change);
}

} // namespace rollup
