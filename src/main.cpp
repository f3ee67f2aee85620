#include "cli/cli.h"
#include "cli/signalwatcher.h"
#include "core/connectionsettings.h"
#include "jobs/democluster.h"
#include "ui/connectiondialog.h"
#include "ui/connectionprofiles.h"
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
        return rollup::Cli::run(args);
    }

    // The GUI quits cleanly on Ctrl-C / SIGTERM so the demo server is stopped.
    rollup::SignalWatcher::install([]() {
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rollup-console"));
    QApplication::setOrganizationName(QStringLiteral("rollup-console"));

    const bool demo = args.contains(QStringLiteral("--demo"));
    const bool reset = args.contains(QStringLiteral("--reset"));
    rollup::DemoCluster cluster;
    rollup::ConnectionSettings settings;
    QString error;
    if (demo) {
        std::fprintf(stderr, "starting the demo database (first start seeds it; this takes a little while)\n");
        if (!cluster.start(reset, &error, [](const QString &line) { std::fprintf(stderr, "demo: %s\n", qPrintable(line)); })) {
            QMessageBox::critical(nullptr, QObject::tr("Rollup Console"), QObject::tr("The demo database did not start:\n%1").arg(error));
            return 2;
        }
        settings = cluster.settings();
    } else {
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
    }
    rollup::MainWindow window(settings);
    window.show();
    const int rc = app.exec();
    return rc;
}
