#include "fixtures.h"

#include "db/dberror.h"
#include "ui/connectiondialog.h"
#include "ui/connectionprofiles.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using namespace rollup;

// The connection dialog offscreen: prefill, URL <-> fields, profiles without the password, the
// asynchronous Test button, read-only sessions.
class TestConnectionDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void environmentPrefill_data();
    void environmentPrefill();
    void environmentNamesServer();
    void fieldsRoundTrip();
    void urlFillsFields();
    void badUrlIsNotAccepted();
    void profilesNeverStoreThePassword();
    void testButtonReportsServer();
    void testButtonReportsLibpqError();
    void readOnlySessionRefusesWrites();

private:
    template <typename T> T *child(QWidget &w, const char *name)
    {
        T *c = w.findChild<T *>(QString::fromLatin1(name));
        if (!c)
            qFatal("no child %s", name);
        return c;
    }
};

void TestConnectionDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("rollup-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_connectiondialog"));
}

void TestConnectionDialog::init()
{
    ConnectionProfiles profiles;
    QVERIFY2(profiles.fileName().contains(QLatin1String(".qttest")), qPrintable(profiles.fileName())); // never the user's file
    QFile::remove(profiles.fileName());
}

void TestConnectionDialog::environmentPrefill_data()
{
    QTest::addColumn<QStringList>("env"); // KEY=VALUE
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("sslMode");
    QTest::addColumn<QString>("source");
    QTest::newRow("database-url") << QStringList{"DATABASE_URL=postgres://cw:p%40ss@db.example:6543/chatwoot?sslmode=verify-full",
                                                 "POSTGRES_HOST=ignored", "PGHOST=ignored"}
                                  << "db.example" << 6543 << "chatwoot"
                                  << "cw"
                                  << "p@ss"
                                  << "verify-full"
                                  << "DATABASE_URL";
    QTest::newRow("chatwoot") << QStringList{"POSTGRES_HOST=pg",
                                             "POSTGRES_PORT=5433",
                                             "POSTGRES_USERNAME=chatwoot",
                                             "POSTGRES_PASSWORD=pw",
                                             "POSTGRES_DATABASE=chatwoot_production",
                                             "PGHOST=ignored"}
                              << "pg" << 5433 << "chatwoot_production"
                              << "chatwoot"
                              << "pw"
                              << ""
                              << "POSTGRES_*";
    QTest::newRow("libpq") << QStringList{"PGHOST=10.0.0.5", "PGPORT=5544",         "PGDATABASE=cw",
                                          "PGUSER=ro",       "PGPASSWORD=pw-libpq", "PGSSLMODE=require"}
                           << "10.0.0.5" << 5544 << "cw"
                           << "ro"
                           << "pw-libpq"
                           << "require"
                           << "libpq environment";
    QTest::newRow("nothing") << QStringList{} << "" << 0 << ""
                             << ""
                             << ""
                             << ""
                             << "libpq environment";
}

void TestConnectionDialog::environmentPrefill()
{
    QFETCH(QStringList, env);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, database);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, sslMode);
    QFETCH(QString, source);
    QProcessEnvironment e;
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    QString error;
    const ConnectionSettings s = ConnectionDialog::environmentSettings(e, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    ConnectionDialog dialog(s);
    QCOMPARE(child<QLineEdit>(dialog, "hostEdit")->text(), host);
    QCOMPARE(child<QSpinBox>(dialog, "portSpin")->value(), port);
    QCOMPARE(child<QLineEdit>(dialog, "databaseEdit")->text(), database);
    QCOMPARE(child<QLineEdit>(dialog, "userEdit")->text(), user);
    QCOMPARE(child<QLineEdit>(dialog, "passwordEdit")->text(), password);
    QCOMPARE(child<QComboBox>(dialog, "sslModeCombo")->currentData().toString(), sslMode);
    QCOMPARE(dialog.settings().source, source);
    if (!password.isEmpty())
        QVERIFY(!child<QLineEdit>(dialog, "urlEdit")->text().contains(password)); // the URL field never shows it
}

void TestConnectionDialog::environmentNamesServer()
{
    QProcessEnvironment e;
    QVERIFY(!ConnectionDialog::environmentNamesServer(e));
    e.insert(QStringLiteral("HOME"), QStringLiteral("/root"));
    QVERIFY(!ConnectionDialog::environmentNamesServer(e));
    e.insert(QStringLiteral("PGDATABASE"), QStringLiteral("cw"));
    QVERIFY(ConnectionDialog::environmentNamesServer(e));
    QString error;
    QProcessEnvironment bad;
    bad.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("mysql://x"));
    ConnectionDialog::environmentSettings(bad, &error);
    QVERIFY(error.contains(QLatin1String("DATABASE_URL")));
}

void TestConnectionDialog::fieldsRoundTrip()
{
    ConnectionSettings s;
    s.host = QStringLiteral("db.internal");
    s.port = 6432;
    s.database = QStringLiteral("chatwoot");
    s.user = QStringLiteral("reporter");
    s.password = QStringLiteral("pw");
    s.sslMode = QStringLiteral("verify-ca");
    s.sslRootCert = QStringLiteral("/etc/ssl/ca.pem");
    s.readOnly = true;
    ConnectionDialog dialog(s);
    const ConnectionSettings back = dialog.settings();
    QCOMPARE(back.host, s.host);
    QCOMPARE(back.port, s.port);
    QCOMPARE(back.database, s.database);
    QCOMPARE(back.user, s.user);
    QCOMPARE(back.password, s.password);
    QCOMPARE(back.sslMode, s.sslMode);
    QCOMPARE(back.sslRootCert, s.sslRootCert);
    QVERIFY(back.readOnly);
    QVERIFY(child<QCheckBox>(dialog, "readOnlyCheck")->isChecked());
    // Every sslmode libpq knows is offered.
    auto *modes = child<QComboBox>(dialog, "sslModeCombo");
    for (const char *m : {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
        QVERIFY(modes->findData(QString::fromLatin1(m)) >= 0);
    // Editing a field rewrites the URL (never with the password).
    dialog.show();
    auto *host = child<QLineEdit>(dialog, "hostEdit");
    host->clear();
    QTest::keyClicks(host, QStringLiteral("other.example"));
    QCOMPARE(child<QLineEdit>(dialog, "urlEdit")->text(),
             QStringLiteral("postgres://reporter@other.example:6432/chatwoot?sslmode=verify-ca&sslrootcert=/etc/ssl/ca.pem"));
}

void TestConnectionDialog::urlFillsFields()
{
    ConnectionDialog dialog(ConnectionSettings{});
    dialog.show();
    auto *url = child<QLineEdit>(dialog, "urlEdit");
    QTest::keyClicks(url,
                     QStringLiteral("postgres://bob:s%3Acret@db.example:6543/cw?sslmode=verify-full&sslrootcert=/tmp/ca.crt"));
    const ConnectionSettings s = dialog.settings();
    QCOMPARE(s.host, QStringLiteral("db.example"));
    QCOMPARE(s.port, 6543);
    QCOMPARE(s.database, QStringLiteral("cw"));
    QCOMPARE(s.user, QStringLiteral("bob"));
    QCOMPARE(s.password, QStringLiteral("s:cret"));
    QCOMPARE(s.sslMode, QStringLiteral("verify-full"));
    QCOMPARE(s.sslRootCert, QStringLiteral("/tmp/ca.crt"));
}

void TestConnectionDialog::badUrlIsNotAccepted()
{
    ConnectionDialog dialog(ConnectionSettings{});
    dialog.show();
    auto *url = child<QLineEdit>(dialog, "urlEdit");
    QTest::keyClicks(url, QStringLiteral("postgres://u@h/db%zz"));
    QTest::mouseClick(child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.result() != QDialog::Accepted);
    QVERIFY2(child<QLabel>(dialog, "sourceLabel")->text().contains(QLatin1String("bad percent-encoding")),
             qPrintable(child<QLabel>(dialog, "sourceLabel")->text()));
}

void TestConnectionDialog::profilesNeverStoreThePassword()
{
    const QString secret = QStringLiteral("Sup3r-S3cret-Pa55word");
    ConnectionSettings s;
    s.host = QStringLiteral("prod-db.example");
    s.port = 5432;
    s.database = QStringLiteral("chatwoot_production");
    s.user = QStringLiteral("chatwoot");
    s.password = secret;
    s.sslMode = QStringLiteral("verify-full");
    s.readOnly = true;
    {
        ConnectionDialog dialog(s);
        dialog.show();
        auto *combo = child<QComboBox>(dialog, "profileCombo");
        combo->setEditText(QStringLiteral("production (read-only)"));
        QTest::mouseClick(child<QPushButton>(dialog, "saveProfileButton"), Qt::LeftButton);
        QCOMPARE(dialog.profiles().names(), QStringList{QStringLiteral("production (read-only)")});
        QCOMPARE(dialog.settings().source, QStringLiteral("profile production (read-only)"));
        QCOMPARE(dialog.settings().password, secret); // still usable for this session
        dialog.accept();
    }
    ConnectionProfiles profiles;
    profiles.sync();
    QFile file(profiles.fileName());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(profiles.fileName()));
    const QByteArray stored = file.readAll();
    QVERIFY(stored.contains("prod-db.example"));
    QVERIFY(!stored.contains(secret.toUtf8()));
    QVERIFY(!stored.toLower().contains("password"));
    QCOMPARE(profiles.lastUsed(), QStringLiteral("production (read-only)"));

    // Loading the profile brings everything back but the password.
    ConnectionDialog again(ConnectionSettings{});
    again.loadProfile(QStringLiteral("production (read-only)"));
    const ConnectionSettings loaded = again.settings();
    QCOMPARE(loaded.host, s.host);
    QCOMPARE(loaded.database, s.database);
    QCOMPARE(loaded.user, s.user);
    QCOMPARE(loaded.sslMode, s.sslMode);
    QVERIFY(loaded.readOnly);
    QCOMPARE(loaded.password, QString());
    QCOMPARE(child<QLineEdit>(again, "passwordEdit")->text(), QString());
    again.profiles().remove(QStringLiteral("production (read-only)"));
    QVERIFY(again.profiles().names().isEmpty());
    QCOMPARE(again.profiles().lastUsed(), QString());
}

void TestConnectionDialog::testButtonReportsServer()
{
    ConnectionDialog dialog(TestDatabase::serverSettings());
    dialog.show();
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
    auto *button = child<QPushButton>(dialog, "testButton");
    QTest::mouseClick(button, Qt::LeftButton);
    // The click returned before the connection finished: the test runs off the GUI thread.
    QVERIFY(dialog.testRunning() || finished.count() == 0);
    QVERIFY(!button->isEnabled());
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    const QString message = finished.at(0).at(1).toString();
    QVERIFY2(message.contains(QLatin1String("PostgreSQL 1")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("no TLS")), qPrintable(message)); // the test server has no TLS
    QVERIFY(message.contains(QLatin1String("schema"))); // the postgres database has no Chatwoot tables
    QCOMPARE(child<QLabel>(dialog, "testResult")->text(), message);
    QVERIFY(button->isEnabled());
}

void TestConnectionDialog::testButtonReportsLibpqError()
{
    ConnectionSettings bad = TestDatabase::serverSettings();
    bad.port = 1;
    ConnectionDialog dialog(bad);
    dialog.show();
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
    QTest::mouseClick(child<QPushButton>(dialog, "testButton"), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QVERIFY(!finished.at(0).at(0).toBool());
    const QString message = finished.at(0).at(1).toString();
    QVERIFY2(message.contains(QLatin1String("Connection refused")), qPrintable(message));
    QVERIFY(!message.contains(QLatin1Char('\n')));
}

void TestConnectionDialog::readOnlySessionRefusesWrites()
{
    TestDatabase db(QStringLiteral("tst_connectiondialog"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures{db}.accountWithZone(1, QStringLiteral("UTC"));
    ConnectionDialog dialog(db.settings());
    dialog.show();
    QTest::mouseClick(child<QCheckBox>(dialog, "readOnlyCheck"), Qt::LeftButton);
    const ConnectionSettings s = dialog.settings();
    QVERIFY(s.readOnly);
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
    dialog.test();
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.at(0).at(1).toString().contains(QLatin1String("read-only session")),
             qPrintable(finished.at(0).at(1).toString()));
    Connection connection(s);
    try {
        connection.run(QStringLiteral("UPDATE accounts SET name = ? WHERE id = ?"), {QStringLiteral("changed"), 1});
        QFAIL("the server accepted a write on a read-only session");
    } catch (const DbError &e) {
        QCOMPARE(e.sqlState(), QStringLiteral("25006"));
    }
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM accounts WHERE name = 'changed'")), 0);
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
