#include "ui/verifysummary.h"

#include "ui/localeformat.h"
#include "ui/palette.h"

#include "ui/verifyformat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace rollup {

VerifySummary::VerifySummary(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_summary, &QLabel::linkActivated, this, &VerifySummary::onLinkActivated);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setVisible(false);

    m_titleRow = new QHBoxLayout;
    m_titleRow->addWidget(m_title, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_titleRow);
    layout->addWidget(m_summary);
    layout->addWidget(m_message);
}

void VerifySummary::addToTitleRow(QWidget *widget)
{
    m_titleRow->addWidget(widget);
}

void VerifySummary::showNoResult(qint64 accountId, const QString &message)
{
    m_outsideDays.clear();
    m_title->setText(accountId > 0 ? tr("<b>Account %1</b>").arg(accountId) : tr("<b>Verify</b>"));
    m_summary->setText(message);
}

void VerifySummary::showOutcome(const VerifyOutcome &outcome)
{
    const BackfillPlan &plan = outcome.result.plan;
    const CompareSummary &s = outcome.result.summary;
    const QLocale locale;
    m_outsideDays.clear();
    m_title->setText(tr("<b>Account %1 — %2</b> · %3")
                         .arg(plan.account.id)
                         .arg(plan.account.name.toHtmlEscaped(), plan.zone.ianaId.toHtmlEscaped()));
    if (plan.empty()) {
        m_summary->setText(tr("Nothing to verify: %1").arg(plan.note.toHtmlEscaped()));
        return;
    }
    auto swatch = [](CompareStatus status, qint64 n) {
        return QStringLiteral("<span style='color:%1'>■</span> %2")
            .arg(VerifyFormat::statusColor(status).name(),
                 tr("%Ln %1", "a count and a status name: 3 mismatch", int(n)).arg(VerifyFormat::statusText(status)));
    };
    const QString range = tr("%1 .. %2 (%n day(s), %3)", nullptr, int(plan.windows.size()))
                              .arg(LocaleFormat::date(plan.range.from), LocaleFormat::date(plan.range.to),
                                   outcome.wholeHistory() ? tr("whole history") : tr("chosen range"));
    // The English source keeps "keys" for every count; the plural forms come from a translation.
    const QString keys = tr("<b>%Ln</b> keys compared", nullptr, int(s.keys));
    const QString differing = tr("%Ln day(s) with differences", nullptr, int(s.daysWithDifferences));
    QString text = tr("%1 · %2 · match rate <b>%3 %</b> · %4 · %5 · %6 · %7 · %8 · %9 s")
                       .arg(range, keys, locale.toString(s.matchRate() * 100.0, 'f', 2), swatch(CompareStatus::Match, s.matches),
                            swatch(CompareStatus::Mismatch, s.mismatches), swatch(CompareStatus::Missing, s.missing),
                            swatch(CompareStatus::Extra, s.extra), differing, locale.toString(outcome.result.seconds, 'f', 2));
    const OutsideRows &outside = outcome.result.outside;
    if (outside.rows > 0) {
        text += QStringLiteral("<br><span style='color:%1'>%2</span> <a href='%3'>%4</a>")
                    .arg(VerifyFormat::statusColor(CompareStatus::Extra).darker(170).name(),
                         tr("%n stored row(s) outside the range, dated %1 .. %2, were not compared.", nullptr, int(outside.rows))
                             .arg(LocaleFormat::date(*outside.first), LocaleFormat::date(*outside.last)),
                         QLatin1String(kRebackfillOutsideLink),
                         tr("Re-backfill those %n day(s)", nullptr, int(outside.days.size())));
        m_outsideDays = outside.days;
    }
    if (outcome.replicaLag)
        text += QStringLiteral("<br>")
                + tr("Read from the replica %1, %2.").arg(outcome.readFrom, outcome.replicaLag->describe()).toHtmlEscaped();
    if (!outcome.lagWarning.isEmpty())
        text += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(Palette::errorText().name(), outcome.lagWarning.toHtmlEscaped());
    m_summary->setText(text);
}

void VerifySummary::setMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

QString VerifySummary::text() const
{
    return m_title->text() + QLatin1Char('\n') + m_summary->text();
}

QString VerifySummary::message() const
{
    return m_message->text();
}

void VerifySummary::onLinkActivated(const QString &link)
{
    if (link == QLatin1String(kRebackfillOutsideLink) && !m_outsideDays.isEmpty())
        emit rebackfillOutsideRequested(m_outsideDays);
}

} // namespace rollup
