#pragma once

#include "core/connectionsettings.h"

#include <QCoreApplication>
#include <QString>

namespace rollup {

// The console's private PostgreSQL for --demo: initdb + pg_ctl in a data directory of its
// own (the user's data location; /var/lib/rollup-console/demo as root, where the server runs
// as the `postgres` system user), loopback only, a free port, a generated password kept in a
// 0600 file. The demo database is created and seeded on first start (or with reset).
// Not thread-safe; use from one thread. The destructor stops a server this object started.
class DemoCluster
{
    Q_DECLARE_TR_FUNCTIONS(DemoCluster)

public:
    explicit DemoCluster(QString baseDir = {});
    ~DemoCluster();
    DemoCluster(const DemoCluster &) = delete;
    DemoCluster &operator=(const DemoCluster &) = delete;

    // Starts (and on first use creates and seeds) the cluster. `log` receives progress lines.
    // Returns false with a one-line error.
    bool start(bool reset, QString *error, const std::function<void(const QString &)> &log = {});
    void stop();
    bool running() const { return m_started; }
    ConnectionSettings settings() const { return m_settings; }
    QString baseDir() const { return m_baseDir; }
    double seedSeconds() const { return m_seedSeconds; }

    static QString defaultBaseDir();
    static QString serverBinDir(); // newest /usr/lib/postgresql/N/bin, empty when absent
    static constexpr const char *kDatabase = "chatwoot_demo";

private:
    bool runTool(const QString &tool, const QStringList &args, QString *output) const;
    QString m_baseDir;
    QString m_binDir;
    bool m_asPostgres = false;
    bool m_started = false;
    ConnectionSettings m_settings;
    double m_seedSeconds = 0;
};

} // namespace rollup
