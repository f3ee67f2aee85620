#include "cli/cli.h"
#include "cli/signalwatcher.h"
#include "core/connectionsettings.h"
#include "core/translations.h"
#include "jobs/democluster.h"
#include "ui/connectiondialog.h"
#include "ui/connectionprofiles.h"
#include "ui/demoprogress.h"
#include "ui/helpmenu.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QProcessEnvironment>

#include <cstdio>

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    if (rollup::Cli::wantsCli(args)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("rollup-console"));
        rollup::installTranslations(QLocale::system());
        return rollup::Cli::run(args);
    }

    // The GUI quits cleanly on Ctrl-C / SIGTERM so the demo server is stopped.
    rollup::SignalWatcher::install([]() { QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection); });
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rollup-console"));
    QApplication::setOrganizationName(QStringLiteral("rollup-console"));
    // The installed desktop entry (its name is the AppStream id), so a desktop matches the
    // window to its menu entry and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(ROLLUP_APP_ID));
    QApplication::setWindowIcon(rollup::HelpMenu::applicationIcon());
    rollup::installTranslations(QLocale::system());

    if (args.contains(QStringLiteral("--demo"))) {
        // The window opens at once with the start's progress and connects when the demo database
        // is ready. Leaving (closing the window, Ctrl-C) destroys the window first, which cancels
        // a start still running, then the cluster, whose destructor stops the server.
        rollup::DemoCluster cluster;
        const rollup::Job<rollup::DemoStartEvent> start = cluster.start(args.contains(QStringLiteral("--reset")));
        rollup::MainWindow window;
        auto *progress = rollup::DemoProgress::follow(&window, start);
        QObject::connect(progress, &rollup::DemoProgress::finished, [](const rollup::DemoStart &result) {
            if (!result.ok)
                std::fprintf(stderr, "rollup-console: %s\n", qPrintable(result.error));
        });
        window.show();
        return app.exec();
    }

    rollup::ConnectionSettings settings;
    QString error;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    auto env = rollup::ConnectionSettings::fromEnvironment(environment, &error);
    if (!env) {
        QMessageBox::critical(nullptr, QObject::tr("Rollup Console"), error);
        return 2;
    }
    settings = *env;
    if (!rollup::ConnectionDialog::environmentNamesServer(environment)) {
        // Nothing in the environment says where to connect: ask, starting from the last profile.
        rollup::ConnectionProfiles profiles;
        if (auto last = profiles.load(profiles.lastUsed()))
            settings = *last;
        rollup::ConnectionDialog dialog(settings);
        if (dialog.exec() != QDialog::Accepted)
            return 0;
        settings = dialog.settings();
    }
    rollup::MainWindow window(settings);
    window.show();
    const int rc = app.exec();
    return rc;
}
