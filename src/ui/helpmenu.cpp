#include "ui/helpmenu.h"

#include "core/identity.h"

#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

#include <date/tz.h>

#include <algorithm>

#ifndef ROLLUP_DATE_VERSION
#define ROLLUP_DATE_VERSION ""
#endif

namespace rollup {

namespace {

// Scrolls `browser` so the heading block `block` is at the top.
void scrollToBlock(QTextBrowser *browser, const QTextBlock &block)
{
    QTextCursor cursor(block);
    browser->setTextCursor(cursor);
    const QRectF rect = browser->document()->documentLayout()->blockBoundingRect(block);
    browser->verticalScrollBar()->setValue(int(rect.top()));
}

// The version of the zone database the console computes days with. With the system's zoneinfo
// the date library often says "unknown"; tzdata.zi's first line names it ("# version 2025b").
QString tzdbVersion()
{
    QString version;
    try {
        version = QString::fromStdString(date::get_tzdb().version);
    } catch (const std::exception &) {
    }
    if (version.isEmpty() || version == QLatin1String("unknown")) {
        QFile zi(QStringLiteral("/usr/share/zoneinfo/tzdata.zi"));
        if (zi.open(QIODevice::ReadOnly)) {
            const QString first = QString::fromLatin1(zi.readLine()).trimmed();
            if (first.startsWith(QLatin1String("# version ")))
                version = first.mid(10);
        }
    }
    return version == QLatin1String("unknown") ? QString() : version;
}

} // namespace

HelpMenu::HelpMenu(QMenuBar *bar, QWidget *window, std::function<QString()> serverText)
    : QObject(window), m_window(window), m_serverText(std::move(serverText))
{
    m_menu = bar->addMenu(tr("&Help"));
    QAction *rollups = m_menu->addAction(tr("&What is a rollup?"), this, [this]() { showRollupHelp(); });
    rollups->setShortcut(QKeySequence::HelpContents);
    m_menu->addSeparator();
    QAction *about = m_menu->addAction(tr("&About Rollup Console"), this, [this]() { showAbout(); });
    about->setMenuRole(QAction::AboutRole);
}

QIcon HelpMenu::applicationIcon()
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/rollup-console-%1.png").arg(size), QSize(size, size));
    return QIcon::fromTheme(QStringLiteral("rollup-console"), icon);
}

QString HelpMenu::rollupsMarkdown()
{
    QFile file(QStringLiteral(":/docs/rollups.md"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString HelpMenu::aboutText(const QString &server)
{
    const QString dateVersion = QStringLiteral(ROLLUP_DATE_VERSION);
    const QString tzdb = tzdbVersion();
    QString date = dateVersion.isEmpty() ? tr("date library") : tr("date library %1").arg(dateVersion);
    if (!tzdb.isEmpty())
        date += QStringLiteral(", ") + tr("time zone database %1").arg(tzdb);
    const QString qt = QLatin1String(qVersion()) == QLatin1String(QT_VERSION_STR)
                           ? QStringLiteral("Qt %1").arg(QLatin1String(qVersion()))
                           : tr("Qt %1 (built with %2)").arg(QLatin1String(qVersion()), QLatin1String(QT_VERSION_STR));
    QStringList lines{qt, date,
                      server.isEmpty() ? tr("PostgreSQL server: not connected") : tr("PostgreSQL server: %1").arg(server)};
    for (QString &line : lines)
        line = line.toHtmlEscaped();
    return QStringLiteral("<h3>%1</h3><p>%2</p><p>%3</p><p>%4</p>")
        .arg(tr("Rollup Console").toHtmlEscaped(), tr("Version %1").arg(Identity::versionText()).toHtmlEscaped(),
             tr("Sets accounts' reporting time zones, backfills Chatwoot's daily reporting rollups and verifies them "
                "against the raw events.")
                 .toHtmlEscaped(),
             lines.join(QStringLiteral("<br>")));
}

QMessageBox *HelpMenu::showAbout()
{
    if (m_about) {
        m_about->setText(aboutText(m_serverText()));
        m_about->raise();
        m_about->activateWindow();
        return m_about;
    }
    auto *box = new QMessageBox(m_window);
    m_about = box;
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Rollup Console"));
    box->setTextFormat(Qt::RichText);
    box->setText(aboutText(m_serverText()));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->setIconPixmap(applicationIcon().pixmap(64, 64));
    box->setStandardButtons(QMessageBox::Close);
    box->open();
    return box;
}

QDialog *HelpMenu::showRollupHelp()
{
    if (m_rollupHelp) {
        m_rollupHelp->raise();
        m_rollupHelp->activateWindow();
        return m_rollupHelp;
    }
    auto *dialog = new QDialog(m_window);
    m_rollupHelp = dialog;
    dialog->setObjectName(QStringLiteral("rollupHelp"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("What is a rollup?"));

    auto *intro = new QLabel(tr("A rollup is one row per account, local day, dimension (the account, an agent, an inbox) "
                                "and metric that sums that day's reporting events, so reports read a few rows instead of "
                                "every event. A day is a day in the account's reporting_timezone. Rows go wrong when the "
                                "zone changes or live writes are lost: a backfill rebuilds them, a verify compares them "
                                "with the raw events. The reference below says exactly how."),
                             dialog);
    intro->setObjectName(QStringLiteral("rollupHelpIntro"));
    intro->setWordWrap(true);

    auto *browser = new QTextBrowser(dialog);
    browser->setObjectName(QStringLiteral("rollupHelpBrowser"));
    browser->setOpenLinks(false);
    browser->setMarkdown(rollupsMarkdown());
    QObject::connect(browser, &QTextBrowser::anchorClicked, dialog, [](const QUrl &url) {
        if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
            QDesktopServices::openUrl(url);
    });

    // Contents: the document's sections; a click scrolls to one.
    auto *contents = new QListWidget(dialog);
    contents->setObjectName(QStringLiteral("rollupHelpContents"));
    for (QTextBlock block = browser->document()->begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() == 2) {
            auto *item = new QListWidgetItem(block.text(), contents);
            item->setData(Qt::UserRole, block.position());
        }
    }
    contents->setFixedWidth(std::min(contents->sizeHintForColumn(0) + 24, 360));
    QObject::connect(contents, &QListWidget::itemActivated, browser, [browser](QListWidgetItem *item) {
        scrollToBlock(browser, browser->document()->findBlock(item->data(Qt::UserRole).toInt()));
    });
    QObject::connect(contents, &QListWidget::itemClicked, browser, [browser](QListWidgetItem *item) {
        scrollToBlock(browser, browser->document()->findBlock(item->data(Qt::UserRole).toInt()));
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);

    auto *split = new QHBoxLayout;
    split->addWidget(contents);
    split->addWidget(browser, 1);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(intro);
    layout->addLayout(split, 1);
    layout->addWidget(buttons);
    dialog->resize(980, 720);
    dialog->show();
    return dialog;
}

} // namespace rollup
