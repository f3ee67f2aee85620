#pragma once

#include "core/connectionsettings.h"
#include "jobs/connectioncheck.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QProcessEnvironment>

#include <memory>

namespace Ui {
class ConnectionDialog;
}

namespace rollup {

class ConnectionProfiles;

// Where to connect: a URL, or host / port / database / user / password / sslmode / root
// certificate, a read-only option, a streaming replica for planning's and verify's reads and the
// statement timeout. Prefilled from the given settings (the environment's or the current
// window's); saved profiles in QSettings without the password (also none of the replica's).
// "Test" connects on a pool thread (its own connection) and shows libpq's one-line message or
// the server version and TLS state. GUI thread only.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectionDialog(const ConnectionSettings &initial, QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    // DATABASE_URL, then Chatwoot's POSTGRES_*, then libpq's PG* variables written out so the
    // dialog shows them (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT).
    // A malformed DATABASE_URL yields empty settings and `error`.
    static ConnectionSettings environmentSettings(const QProcessEnvironment &env, QString *error = nullptr);
    // True when the environment names a server (DATABASE_URL, POSTGRES_HOST/DATABASE or a PG* variable).
    static bool environmentNamesServer(const QProcessEnvironment &env);

    ConnectionSettings settings() const;
    void setSettings(const ConnectionSettings &settings);
    ConnectionProfiles &profiles() const { return *m_profiles; }
    bool testRunning() const { return m_testWatcher.isRunning(); }

public slots:
    void test();
    void saveProfile(const QString &name);
    void loadProfile(const QString &name);
    void accept() override; // refuses a malformed URL

signals:
    void testFinished(bool ok, const QString &message);

private:
    void onUrlEdited(const QString &text);
    void onFieldEdited();
    void onTestFinished();
    void reloadProfileNames(const QString &current);
    void showSource(const QString &text);

    const std::unique_ptr<Ui::ConnectionDialog> m_ui;
    const std::unique_ptr<ConnectionProfiles> m_profiles;
    QFutureWatcher<ConnectionTest> m_testWatcher;
    QString m_source; // where the current values came from
    bool m_updating = false;
};

} // namespace rollup
