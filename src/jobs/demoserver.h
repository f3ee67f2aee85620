#pragma once

#include "core/cancellation.h"
#include "core/connectionsettings.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace rollup {

// The demo's PostgreSQL server as processes and files, no SQL: a base directory holding data/
// (initdb), the generated password (a 0600 file), the port file and server.log; pg_ctl to start,
// stop and ask. As root every tool runs as the `postgres` system user (runuser), because initdb
// refuses root, and the base directory belongs to that user. Loopback only, scram-sha-256.
// Functions block until their tool has ended; call them from one thread at a time (the demo
// start job, then its owner).
class DemoServer
{
    Q_DECLARE_TR_FUNCTIONS(DemoServer)

public:
    explicit DemoServer(QString baseDir = {}); // empty: defaultBaseDir()

    QString baseDir() const { return m_baseDir; }
    // Creates the base directory (owner only; as root, handed to `postgres`). False with a
    // one-line error, also when the server binaries are missing.
    bool prepare(QString *error) const;
    bool hasCluster() const; // initdb completed here
    // A new password file and initdb. A cancel stops initdb (SIGTERM); a cancelled or failed
    // initdb leaves no data/ behind.
    bool createCluster(const CancelToken &cancel, QString *error) const;
    int runningPort() const; // the port of the server running here, 0 when none
    // pg_ctl start on 127.0.0.1:port, waiting until it accepts connections. On failure (e.g. the
    // port was taken) no server stays running; `output` has pg_ctl's words.
    bool start(int port, QString *output) const;
    // pg_ctl stop -m fast, waiting until the server has exited (no postgres process stays).
    void stop() const;
    // The maintenance database (postgres) of the server on `port`, with the generated password.
    std::optional<ConnectionSettings> settings(int port, QString *error) const;

    static QString defaultBaseDir(); // ~/.local/share/rollup-console/demo; as root /var/lib/rollup-console/demo
    static QString serverBinDir(); // newest /usr/lib/postgresql/N/bin, empty when absent

private:
    // Runs a server tool (as `postgres` when root); true when it exited with 0 (and, with
    // `cancel`, was not cancelled: a cancel ends it with SIGTERM, which runuser passes on).
    bool runTool(const QString &tool, const QStringList &args, QString *output, const CancelToken *cancel = nullptr) const;
    QString dataDir() const { return m_baseDir + QStringLiteral("/data"); }
    QString passwordFile() const { return m_baseDir + QStringLiteral("/password"); }
    QString portFile() const { return m_baseDir + QStringLiteral("/port"); }

    QString m_baseDir;
    QString m_binDir;
    bool m_asPostgres = false;
};

} // namespace rollup
