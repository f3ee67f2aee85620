#include "ui/viewhelp.h"

#include "ui/palette.h"

#include <QColor>
#include <QToolButton>
#include <QWhatsThis>

#include <utility>

namespace rollup {

namespace {

// One line of a legend: a square in `colour`, the status in bold, what it means.
QString swatchRow(const QColor &colour, const QString &name, const QString &meaning)
{
    return QStringLiteral("<tr><td bgcolor=\"%1\" width=\"16\"></td><td><b>%2</b></td><td>%3</td></tr>")
        .arg(colour.name(), name.toHtmlEscaped(), meaning.toHtmlEscaped());
}

QString textRow(const QString &name, const QString &meaning)
{
    return QStringLiteral("<tr><td></td><td><b>%1</b></td><td>%2</td></tr>").arg(name.toHtmlEscaped(), meaning.toHtmlEscaped());
}

QString page(const QString &title, const QString &intro, const QStringList &rows, const QString &after = {})
{
    QString html = QStringLiteral("<p><b>%1</b></p><p>%2</p><table cellspacing=\"2\" cellpadding=\"2\">")
                       .arg(title.toHtmlEscaped(), intro.toHtmlEscaped());
    html += rows.join(QString()) + QStringLiteral("</table>");
    if (!after.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(after.toHtmlEscaped());
    return html;
}

} // namespace

QString ViewHelp::text(Topic topic)
{
    switch (topic) {
    case Topic::Accounts:
        return page(tr("Accounts"),
                    tr("Every account with its reporting_timezone: rollups are written only for an account whose zone "
                       "resolves. Double-click a zone cell or press Ctrl+T to change it."),
                    {textRow(tr("IANA"), tr("an IANA zone id such as America/Sao_Paulo: usable")),
                     textRow(tr("Rails name"), tr("a Rails zone name such as \"Brasilia\": usable, resolved to its IANA id")),
                     swatchRow(Palette::mutedText(), tr("not set"), tr("no zone: Chatwoot writes no rollups for the account")),
                     swatchRow(Palette::errorText(), tr("invalid"),
                               tr("a value no zone resolves to: rollups are off; the reason is in the next column")),
                     swatchRow(Palette::mutedText(), QStringLiteral("…"), tr("statistics still loading")),
                     textRow(tr("Rollup dates"), tr("the first and last local day that has rollup rows")),
                     textRow(tr("First / last event day"),
                             tr("in the account's zone; in grey with \"UTC\" when the zone is not usable"))});
    case Topic::Backfill:
        return page(
            tr("Backfill"),
            tr("Plan a range of local days, look at the dry run, then start. Each day is replaced in one "
               "transaction: all its old rows or all its new rows, never a mix. Esc cancels."),
            {swatchRow(Palette::pending(), tr("pending"), tr("planned, not written yet")),
             swatchRow(Palette::running(), tr("running"), tr("in the chunk being written now")),
             swatchRow(Palette::done(), tr("done"), tr("written: the day has its new rows")),
             swatchRow(Palette::failed(), tr("failed"), tr("its chunk failed: the day keeps its old rows; Retry runs it again")),
             swatchRow(Palette::skipped(), tr("skipped"),
                       tr("in the range but not selected by the mode (e.g. only days that differ)"))},
            tr("Today's local day is left out unless you include it: Chatwoot still writes it live."));
    case Topic::Verify:
        return page(tr("Verify"),
                    tr("Each (day, dimension, id, metric) key of the stored rollups is compared with what a backfill "
                       "would write from the raw events. A heatmap cell shows its day's worst status."),
                    {swatchRow(Palette::match(), tr("match"), tr("the stored row equals the recomputed one")),
                     swatchRow(Palette::extra(), tr("extra"), tr("a stored row that no raw event backs: a backfill deletes it")),
                     swatchRow(Palette::missing(), tr("missing"), tr("raw events with no stored row: a backfill inserts it")),
                     swatchRow(Palette::mismatch(), tr("mismatch"), tr("both exist but the count or a sum differs")),
                     swatchRow(Palette::empty(), tr("no keys"), tr("a day without events or rows"))},
                    tr("Double-click a row to see its raw events; select rows and re-backfill just those days."));
    }
    return {};
}

QToolButton *ViewHelp::button(Topic topic, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(QStringLiteral("helpButton"));
    button->setText(QStringLiteral("?"));
    button->setToolTip(tr("What the colours and statuses of this view mean"));
    button->setAutoRaise(true);
    QObject::connect(button, &QToolButton::clicked, button, [button, topic]() {
        QWhatsThis::showText(button->mapToGlobal(QPoint(0, button->height())), text(topic), button);
    });
    return button;
}

} // namespace rollup
