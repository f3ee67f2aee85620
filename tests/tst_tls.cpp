#include "testdatabase.h"

#include "db/dberror.h"
#include "db/schema.h"
#include "ui/mainwindow.h"

#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace rollup;

// TLS against a server of its own with a throwaway CA and server certificate.
class TestTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void verifyFullConnects();
    void wrongHostNameFails();
    void disableIsPlain();
    void windowShowsTlsMode();
    void windowAsksForAMissingPassword();

private:
    ConnectionSettings settings(const QString &host, const QString &mode) const;
    bool run(const QString &program, const QStringList &args);
    QTemporaryDir m_dir;
    QString m_pgDir;
    int m_port = 0;
};

bool TestTls::run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.waitForFinished(60000);
    if (p.exitCode() != 0)
        qWarning("%s failed: %s", qPrintable(program), p.readAll().constData());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                            | QFileDevice::ExeGroup);
    QFile ext(m_dir.filePath(QStringLiteral("san.ext")));
    QVERIFY(ext.open(QIODevice::WriteOnly));
    ext.write("subjectAltName=DNS:localhost\n");
    ext.close();
    QVERIFY(run(QStringLiteral("openssl"), {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
                                            "ca.crt", "-days", "2", "-subj", "/CN=Rollup Console test CA"}));
    QVERIFY(run(QStringLiteral("openssl"), {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                                            "-subj", "/CN=localhost"}));
    QVERIFY(run(QStringLiteral("openssl"), {"x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                                            "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext"}));
    QFile::setPermissions(m_dir.filePath(QStringLiteral("server.key")), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (::geteuid() == 0) {
        QVERIFY(run(QStringLiteral("chown"),
                    {"postgres:", m_dir.filePath(QStringLiteral("server.key")), m_dir.filePath(QStringLiteral("server.crt"))}));
    }
    m_pgDir = m_dir.filePath(QStringLiteral("pg"));
    QProcess pg;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PG_EXTRA_OPTS"),
               QStringLiteral("-c ssl=on -c ssl_cert_file=%1 -c ssl_key_file=%2")
                   .arg(m_dir.filePath(QStringLiteral("server.crt")), m_dir.filePath(QStringLiteral("server.key"))));
    pg.setProcessEnvironment(env);
    pg.start(QStringLiteral("bash"),
             {qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh"), QStringLiteral("start"), m_pgDir});
    QVERIFY(pg.waitForFinished(120000));
    QVERIFY2(pg.exitCode() == 0, pg.readAllStandardError().constData());
    m_port = pg.readAllStandardOutput().trimmed().toInt();
    QVERIFY(m_port > 0);
}

void TestTls::cleanupTestCase()
{
    if (!m_pgDir.isEmpty())
        QProcess::execute(QStringLiteral("bash"), {qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh"),
                                                   QStringLiteral("stop"), m_pgDir});
}

ConnectionSettings TestTls::settings(const QString &host, const QString &mode) const
{
    ConnectionSettings s;
    s.host = host;
    s.port = m_port;
    s.user = QStringLiteral("rollup");
    s.database = QStringLiteral("postgres");
    s.sslMode = mode;
    s.sslRootCert = m_dir.filePath(QStringLiteral("ca.crt"));
    return s;
}

void TestTls::verifyFullConnects()
{
    Connection c(settings(QStringLiteral("localhost"), QStringLiteral("verify-full")));
    QVERIFY2(c.sslDescription().startsWith(QLatin1String("TLS")), qPrintable(c.sslDescription()));
    QSqlQuery q = c.run(QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    QVERIFY(q.next());
    QVERIFY(q.value(0).toBool());
}

void TestTls::wrongHostNameFails()
{
    try {
        Connection c(settings(QStringLiteral("127.0.0.1"), QStringLiteral("verify-full")));
        QFAIL("verify-full must refuse a certificate for another host name");
    } catch (const DbError &e) {
        QVERIFY2(e.message().contains(QLatin1String("does not match host name")), qPrintable(e.message()));
        QVERIFY(!e.message().contains(QLatin1Char('\n')));
    }
    // A wrong CA fails verify-ca too.
    ConnectionSettings wrongCa = settings(QStringLiteral("localhost"), QStringLiteral("verify-ca"));
    wrongCa.sslRootCert = m_dir.filePath(QStringLiteral("server.crt"));
    QVERIFY_THROWS_EXCEPTION(DbError, Connection{wrongCa});
}

void TestTls::disableIsPlain()
{
    Connection c(settings(QStringLiteral("127.0.0.1"), QStringLiteral("disable")));
    QCOMPARE(c.sslDescription(), QStringLiteral("no TLS"));
}

void TestTls::windowShowsTlsMode()
{
    {
        Connection c(settings(QStringLiteral("localhost"), QStringLiteral("verify-full")));
        Schema::create(c); // the window's schema check needs the tables
    }
    MainWindow window(settings(QStringLiteral("localhost"), QStringLiteral("verify-full")));
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(loaded.wait(20000));
    QString shown;
    for (QLabel *label : window.statusBar()->findChildren<QLabel *>())
        shown += label->text();
    QVERIFY2(shown.contains(QLatin1String("TLS")) && !shown.contains(QLatin1String("no TLS")), qPrintable(shown));
}

void TestTls::windowAsksForAMissingPassword()
{
    // A role that must give a password (scram-sha-256 for it alone; everything else stays
    // trust). The window is opened without one, as from a saved profile: it asks, refuses a
    // wrong one with a new prompt, connects with the right one, and keeps it nowhere but in memory.
    const QString secret = QStringLiteral("s3cret-Pw");
    {
        Connection c(settings(QStringLiteral("127.0.0.1"), QStringLiteral("disable")));
        c.run(QStringLiteral("SELECT set_config('password_encryption', 'scram-sha-256', false)"));
        c.runScript(QStringLiteral("DROP ROLE IF EXISTS pw_user"));
        // DDL takes no parameters: the server quotes the bound password into the statement.
        QSqlQuery q = c.run(QStringLiteral("SELECT format('CREATE ROLE pw_user LOGIN PASSWORD %L', ?::text)"), {secret});
        QVERIFY(q.next());
        c.runScript(q.value(0).toString());
        if (!Schema::check(c).isEmpty())
            Schema::create(c); // the window's schema check needs the tables, also when this test runs alone
        c.runScript(QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA public TO pw_user"));
    }
    QFile hba(m_pgDir + QStringLiteral("/data/pg_hba.conf"));
    QVERIFY(hba.open(QIODevice::ReadOnly));
    const QByteArray rules = hba.readAll();
    hba.close();
    QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
    hba.write("host all pw_user 127.0.0.1/32 scram-sha-256\n" + rules);
    hba.close();
    {
        Connection c(settings(QStringLiteral("127.0.0.1"), QStringLiteral("disable")));
        c.run(QStringLiteral("SELECT pg_reload_conf()"));
    }
    ConnectionSettings s = settings(QStringLiteral("127.0.0.1"), QStringLiteral("disable"));
    s.user = QStringLiteral("pw_user");
    QTRY_VERIFY_WITH_TIMEOUT(([&]() {
                                 try {
                                     Connection probe(s);
                                     return false;
                                 } catch (const DbError &e) {
                                     return needsPassword(e.message());
                                 }
                             }()),
                             10000);

    MainWindow window(s);
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    auto prompt = [&window]() { return window.findChild<QInputDialog *>(QStringLiteral("passwordPrompt")); };
    QTRY_VERIFY_WITH_TIMEOUT(prompt() != nullptr, 20000);
    QCOMPARE(prompt()->textEchoMode(), QLineEdit::Password);
    QVERIFY2(prompt()->labelText().contains(QLatin1String("asks for a password")), qPrintable(prompt()->labelText()));
    QPointer<QInputDialog> first = prompt();
    first->setTextValue(QStringLiteral("wrong"));
    first->accept();
    QTRY_VERIFY_WITH_TIMEOUT(prompt() != nullptr && prompt() != first.data(), 20000);
    QVERIFY2(prompt()->labelText().contains(QLatin1String("refused the password")), qPrintable(prompt()->labelText()));
    QVERIFY(!prompt()->labelText().contains(QLatin1String("wrong")));
    QVERIFY(!window.statusBar()->currentMessage().contains(QLatin1String("wrong")));
    prompt()->setTextValue(secret);
    prompt()->accept();
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.connectionSettings().password, secret);
    QVERIFY(!window.windowTitle().contains(secret));
    QTRY_VERIFY(prompt() == nullptr);
}

QTEST_MAIN(TestTls)
#include "tst_tls.moc"
