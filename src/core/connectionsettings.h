#pragma once

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace rollup {

// Where to connect. Empty fields are left to libpq (PG* environment, ~/.pgpass, defaults).
// Value type; safe to copy across threads. The password never leaves this struct except into
// the driver: toDisplayString() and profile storage omit it.
struct ConnectionSettings
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionSettings)

public:
    QString host;
    int port = 0; // 0: libpq default
    QString database;
    QString user;
    QString password;
    QString sslMode; // disable, allow, prefer, require, verify-ca, verify-full or empty
    QString sslRootCert;
    bool readOnly = false; // default_transaction_read_only = on, enforced by the server
    int lockTimeoutMs = 0; // 0: server default
    // Every statement of the session (a backfill chunk's DELETE and INSERT among them) ends
    // after this long; 0: none (the server's default).
    static constexpr int kDefaultStatementTimeoutMs = 5 * 60 * 1000;
    int statementTimeoutMs = kDefaultStatementTimeoutMs;
    // The server ends a session left idle inside a transaction this long, so a frozen console
    // never keeps row locks on a live primary; 0: the server's default.
    static constexpr int kDefaultIdleInTransactionTimeoutMs = 60 * 1000;
    int idleInTransactionTimeoutMs = kDefaultIdleInTransactionTimeoutMs;
    // A streaming replica for planning's and verify's reads (a postgres:// URL; whatever it
    // leaves out — user, password, database, sslmode, sslrootcert — is the primary's). Empty:
    // every read goes to the primary. Writes and the backfill's lock always go to the primary.
    // May hold a password: never displayed, never saved in a profile.
    QString replicaUrl;
    QString source; // "--database-url", "DATABASE_URL", "POSTGRES_*", "libpq environment", "demo", ...

    // postgres://user:pass@host:port/db?sslmode=...&sslrootcert=...; nullopt and a one-line
    // error for anything malformed.
    static std::optional<ConnectionSettings> fromUrl(const QString &url, QString *error);
    // Precedence: DATABASE_URL, then Chatwoot's POSTGRES_* (when POSTGRES_HOST or
    // POSTGRES_DATABASE is set), then libpq's own PG* variables (left to libpq).
    // ROLLUP_REPLICA_URL, when set, becomes replicaUrl (checked like a URL).
    static std::optional<ConnectionSettings> fromEnvironment(const QProcessEnvironment &env, QString *error);

    bool hasReplica() const { return !replicaUrl.trimmed().isEmpty(); }
    // The replica's settings: replicaUrl parsed, the primary's user, password, database, sslmode
    // and sslrootcert where the URL leaves them out, the same timeouts, a read-only session, no
    // replica of its own. nullopt (and a one-line error) when there is none or it is malformed.
    std::optional<ConnectionSettings> replica(QString *error = nullptr) const;
    // replicaUrl without its password (for profiles and display); empty when there is none.
    QString replicaUrlWithoutPassword() const;

    // libpq keyword/value options besides host/port/db/user/password, for QSqlDatabase.
    QString driverOptions() const;
    // These settings with host, port, user and database left empty taken from libpq's PGHOST,
    // PGPORT, PGUSER and PGDATABASE, as libpq takes them: the server they name.
    ConnectionSettings withLibpqEnvironment() const;
    // user@host:port/db, without the password
    QString toDisplayString() const;
    // postgres:// URL without the password
    QString toUrl() const;
};

} // namespace rollup
