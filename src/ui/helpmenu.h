#pragma once

#include <QIcon>
#include <QObject>
#include <QPointer>

#include <functional>

class QDialog;
class QMenu;
class QMenuBar;
class QMessageBox;
class QTextBrowser;

namespace rollup {

// The window's Help menu: "What is a rollup?" (docs/rollups.md, compiled in, rendered as
// Markdown) and About (the console's version with its git commit, Qt, the date library and its
// time zone database, and the PostgreSQL server when connected). GUI thread only.
class HelpMenu : public QObject
{
    Q_OBJECT
public:
    // Adds the menu to `bar`; `serverText` says which server the window talks to ("PostgreSQL
    // 15.4, no TLS"), empty when none.
    HelpMenu(QMenuBar *bar, QWidget *window, std::function<QString()> serverText);

    QMenu *menu() const { return m_menu; }
    // Open (or raise) the windows; they belong to the window and delete themselves on close.
    QDialog *showRollupHelp();
    QMessageBox *showAbout();

    // The About box's rich text for `server` ("" when not connected).
    static QString aboutText(const QString &server);
    // The application's icon from the compiled-in PNGs (the installed theme icon when present).
    static QIcon applicationIcon();
    // docs/rollups.md as compiled in.
    static QString rollupsMarkdown();

private:
    QWidget *m_window;
    QMenu *m_menu;
    std::function<QString()> m_serverText;
    QPointer<QDialog> m_rollupHelp;
    QPointer<QMessageBox> m_about;
};

} // namespace rollup
