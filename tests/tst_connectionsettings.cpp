#include "core/connectionsettings.h"
#include "core/statedirectory.h"

#include <QRandomGenerator>
#include <QTest>

using namespace rollup;

class TestConnectionSettings : public QObject
{
    Q_OBJECT
private slots:
    void fromUrl_data();
    void fromUrl();
    void environmentPrecedence();
    void stateKeyFollowsTheLibpqEnvironment();
    void passwordNeverDisplayed();
    void randomInputsNeverCrash();
};

void TestConnectionSettings::fromUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("db");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("sslmode");
    QTest::newRow("full") << "postgres://chat:s3cret@db.example.com:5433/chatwoot_production?sslmode=verify-full" << true
                          << "db.example.com" << 5433 << "chatwoot_production"
                          << "chat"
                          << "s3cret"
                          << "verify-full";
    QTest::newRow("postgresql-scheme") << "postgresql://u@localhost/db" << true << "localhost" << 0 << "db"
                                       << "u"
                                       << ""
                                       << "";
    QTest::newRow("percent-encoded") << "postgres://u%40corp:p%2Fw%3A@h/d%20b" << true << "h" << 0 << "d b"
                                     << "u@corp"
                                     << "p/w:"
                                     << "";
    QTest::newRow("ipv6") << "postgres://u@[::1]:5432/db" << true << "::1" << 5432 << "db"
                          << "u"
                          << ""
                          << "";
    QTest::newRow("no-db") << "postgres://u@h" << true << "h" << 0 << ""
                           << "u"
                           << ""
                           << "";
    QTest::newRow("host-only") << "postgres://h" << true << "h" << 0 << ""
                               << ""
                               << ""
                               << "";
    QTest::newRow("bad-percent") << "postgres://u:p%zz@h/db" << false << "" << 0 << ""
                                 << ""
                                 << ""
                                 << "";
    QTest::newRow("bad-percent-end") << "postgres://u@h/db%4" << false << "" << 0 << ""
                                     << ""
                                     << ""
                                     << "";
    QTest::newRow("bad-scheme") << "mysql://u@h/db" << false << "" << 0 << ""
                                << ""
                                << ""
                                << "";
    QTest::newRow("bad-port") << "postgres://u@h:99999/db" << false << "" << 0 << ""
                              << ""
                              << ""
                              << "";
    QTest::newRow("bad-sslmode") << "postgres://u@h/db?sslmode=maybe" << false << "" << 0 << ""
                                 << ""
                                 << ""
                                 << "";
    QTest::newRow("unknown-param") << "postgres://u@h/db?options=-c%20x" << false << "" << 0 << ""
                                   << ""
                                   << ""
                                   << "";
    QTest::newRow("empty") << "" << false << "" << 0 << ""
                           << ""
                           << ""
                           << "";
    QTest::newRow("no-scheme") << "localhost:5432/db" << false << "" << 0 << ""
                               << ""
                               << ""
                               << "";
    QTest::newRow("unclosed-ipv6") << "postgres://u@[::1/db" << false << "" << 0 << ""
                                   << ""
                                   << ""
                                   << "";
    QTest::newRow("slash-in-db") << "postgres://u@h/a/b" << false << "" << 0 << ""
                                 << ""
                                 << ""
                                 << "";
}

void TestConnectionSettings::fromUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, db);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, sslmode);
    QString error;
    const auto s = ConnectionSettings::fromUrl(url, &error);
    QCOMPARE(s.has_value(), ok);
    if (!ok) {
        QVERIFY(error.startsWith(QLatin1String("invalid database URL: ")));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        return;
    }
    QCOMPARE(s->host, host);
    QCOMPARE(s->port, port);
    QCOMPARE(s->database, db);
    QCOMPARE(s->user, user);
    QCOMPARE(s->password, password);
    QCOMPARE(s->sslMode, sslmode);
}

void TestConnectionSettings::environmentPrecedence()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("POSTGRES_HOST"), QStringLiteral("pg.internal"));
    env.insert(QStringLiteral("POSTGRES_PORT"), QStringLiteral("6543"));
    env.insert(QStringLiteral("POSTGRES_USERNAME"), QStringLiteral("chatwoot"));
    env.insert(QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("pw"));
    env.insert(QStringLiteral("POSTGRES_DATABASE"), QStringLiteral("chatwoot_production"));
    QString error;
    auto s = ConnectionSettings::fromEnvironment(env, &error);
    QVERIFY(s);
    QCOMPARE(s->source, QStringLiteral("POSTGRES_*"));
    QCOMPARE(s->host, QStringLiteral("pg.internal"));
    QCOMPARE(s->port, 6543);
    QCOMPARE(s->database, QStringLiteral("chatwoot_production"));

    env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgres://a@b/c"));
    s = ConnectionSettings::fromEnvironment(env, &error);
    QVERIFY(s);
    QCOMPARE(s->source, QStringLiteral("DATABASE_URL"));
    QCOMPARE(s->host, QStringLiteral("b"));

    env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgres://a@b/c%zz"));
    s = ConnectionSettings::fromEnvironment(env, &error);
    QVERIFY(!s);
    QVERIFY(error.startsWith(QLatin1String("DATABASE_URL: invalid database URL")));

    QProcessEnvironment plain;
    plain.insert(QStringLiteral("PGHOST"), QStringLiteral("x"));
    s = ConnectionSettings::fromEnvironment(plain, &error);
    QVERIFY(s);
    QCOMPARE(s->source, QStringLiteral("libpq environment"));
    QVERIFY(s->host.isEmpty()); // left to libpq

    QProcessEnvironment badPort;
    badPort.insert(QStringLiteral("POSTGRES_HOST"), QStringLiteral("h"));
    badPort.insert(QStringLiteral("POSTGRES_PORT"), QStringLiteral("54x"));
    QVERIFY(!ConnectionSettings::fromEnvironment(badPort, &error));
    QVERIFY(error.contains(QLatin1String("POSTGRES_PORT")));
}

void TestConnectionSettings::stateKeyFollowsTheLibpqEnvironment()
{
    // Settings left to libpq's PG* variables name the database those variables name: two
    // databases reached that way must not share the health board, the history or a fleet journal.
    const QByteArray saved[] = {qgetenv("PGHOST"), qgetenv("PGPORT"), qgetenv("PGDATABASE"), qgetenv("PGUSER")};
    const ConnectionSettings fromEnv; // as fromEnvironment() returns it for the libpq environment
    qputenv("PGHOST", "10.0.0.1");
    qputenv("PGPORT", "6432");
    qputenv("PGUSER", "support");
    qputenv("PGDATABASE", "chatwoot_a");
    const QString a = StateDirectory::databaseKey(fromEnv);
    qputenv("PGDATABASE", "chatwoot_b");
    const QString b = StateDirectory::databaseKey(fromEnv);
    qputenv("PGPORT", "5433");
    const QString c = StateDirectory::databaseKey(fromEnv);
    QVERIFY2(a.startsWith(QLatin1String("10.0.0.1_6432_chatwoot_a-")), qPrintable(a));
    QVERIFY(a != b && b != c && a != c);
    // Given explicitly, the same database has the same key as through the environment.
    ConnectionSettings explicitB;
    explicitB.host = QStringLiteral("10.0.0.1");
    explicitB.port = 5433;
    explicitB.user = QStringLiteral("support");
    explicitB.database = QStringLiteral("chatwoot_b");
    QCOMPARE(StateDirectory::databaseKey(explicitB), c);
    const char *names[] = {"PGHOST", "PGPORT", "PGDATABASE", "PGUSER"};
    for (int i = 0; i < 4; ++i) {
        if (saved[i].isNull())
            qunsetenv(names[i]);
        else
            qputenv(names[i], saved[i]);
    }
}

void TestConnectionSettings::passwordNeverDisplayed()
{
    QString error;
    const auto s = ConnectionSettings::fromUrl(QStringLiteral("postgres://u:TopSecret123@h:5432/db?sslmode=require"), &error);
    QVERIFY(s);
    QVERIFY(!s->toDisplayString().contains(QLatin1String("TopSecret123")));
    QVERIFY(!s->toUrl().contains(QLatin1String("TopSecret123")));
    QVERIFY(!s->driverOptions().contains(QLatin1String("TopSecret123")));
    QVERIFY(s->toUrl().contains(QLatin1String("sslmode=require")));
}

void TestConnectionSettings::randomInputsNeverCrash()
{
    // 100,000 generated URLs: mutations of valid ones plus random bytes. No crash, no hang,
    // and every refusal is one line.
    QRandomGenerator rng(20261129);
    const QStringList seeds = {QStringLiteral("postgres://u:p@h:5432/db?sslmode=require"),
                               QStringLiteral("postgresql://[::1]:1/x"), QStringLiteral("postgres://%41@h/%42")};
    const QString alphabet = QStringLiteral("%:/@?&=[]#-_.~ aZ09\\'\";\n\t\xe9");
    int accepted = 0;
    for (int i = 0; i < 100000; ++i) {
        QString s = seeds.at(i % seeds.size());
        const int edits = 1 + int(rng.bounded(6));
        for (int e = 0; e < edits; ++e) {
            const int pos = int(rng.bounded(qint64(s.size() + 1)));
            const QChar c = alphabet.at(int(rng.bounded(qint64(alphabet.size()))));
            switch (rng.bounded(3)) {
            case 0:
                s.insert(pos, c);
                break;
            case 1:
                if (pos < s.size())
                    s.remove(pos, 1);
                break;
            default:
                if (pos < s.size())
                    s[pos] = c;
                break;
            }
        }
        QString error;
        const auto r = ConnectionSettings::fromUrl(s, &error);
        if (r)
            ++accepted;
        else
            QVERIFY2(!error.isEmpty() && !error.contains(QLatin1Char('\n')), qPrintable(s));
    }
    QVERIFY(accepted > 0);
}

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
