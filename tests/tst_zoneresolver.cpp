#include "core/zoneresolver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rollup;
using State = ZoneResolution::State;

class TestZoneResolver : public QObject
{
    Q_OBJECT
private slots:
    void everyRailsNameResolves();
    void resolveName_data();
    void resolveName();
    void resolveJson_data();
    void resolveJson();
    void zoneIdsExcludeNonIdentifiers();
};

void TestZoneResolver::everyRailsNameResolves()
{
    const QString path = qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/resources/data/rails_time_zones.json");
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
    const QJsonObject obj = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(obj.size(), 151);
    QCOMPARE(ZoneResolver::railsMapping().size(), 151);
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const ZoneResolution r = ZoneResolver::resolveName(it.key());
        QVERIFY2(r.usable(), qPrintable(it.key() + QStringLiteral(": ") + r.reason));
        QCOMPARE(r.state, State::RailsName);
        QCOMPARE(r.ianaId, it.value().toString());
    }
}

void TestZoneResolver::resolveName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("iana");
    QTest::newRow("iana") << "America/New_York" << int(State::IanaId) << "America/New_York";
    QTest::newRow("rails") << "Eastern Time (US & Canada)" << int(State::RailsName) << "America/New_York";
    QTest::newRow("rails-chennai") << "Chennai" << int(State::RailsName) << "Asia/Kolkata";
    QTest::newRow("rails-astana-7.1") << "Astana" << int(State::RailsName) << "Asia/Dhaka";
    QTest::newRow("link-us-eastern") << "US/Eastern" << int(State::IanaId) << "US/Eastern";
    QTest::newRow("link-calcutta") << "Asia/Calcutta" << int(State::IanaId) << "Asia/Calcutta";
    QTest::newRow("utc-rails") << "UTC" << int(State::RailsName) << "Etc/UTC";
    QTest::newRow("etc-utc") << "Etc/UTC" << int(State::IanaId) << "Etc/UTC";
    QTest::newRow("etc-gmt+5") << "Etc/GMT+5" << int(State::IanaId) << "Etc/GMT+5";
    QTest::newRow("est5edt") << "EST5EDT" << int(State::IanaId) << "EST5EDT";
    QTest::newRow("wrong-case") << "america/new_york" << int(State::Invalid) << "";
    QTest::newRow("wrong-case-rails") << "chennai" << int(State::Invalid) << "";
    QTest::newRow("unknown") << "Mars/Olympus" << int(State::Invalid) << "";
    QTest::newRow("posix-tree") << "posix/America/New_York" << int(State::Invalid) << "";
    QTest::newRow("localtime") << "localtime" << int(State::Invalid) << "";
    QTest::newRow("empty") << "" << int(State::NotSet) << "";
    QTest::newRow("spaces") << "   " << int(State::NotSet) << "";
    QTest::newRow("tab-newline") << "\t\n" << int(State::NotSet) << "";
    QTest::newRow("padded") << " UTC" << int(State::Invalid) << "";
    QTest::newRow("long") << QString(500, QLatin1Char('x')) << int(State::Invalid) << "";
    QTest::newRow("sql") << "'; DROP TABLE accounts; --" << int(State::Invalid) << "";
}

void TestZoneResolver::resolveName()
{
    QFETCH(QString, name);
    QFETCH(int, state);
    QFETCH(QString, iana);
    const ZoneResolution r = ZoneResolver::resolveName(name);
    QCOMPARE(int(r.state), state);
    QCOMPARE(r.ianaId, iana);
    QCOMPARE(r.usable(), !iana.isEmpty());
    if (r.state == State::Invalid) {
        QVERIFY(!r.reason.isEmpty());
        QVERIFY(!r.reason.contains(QLatin1Char('\n')));
        QVERIFY(r.reason.size() < 200);
    }
}

void TestZoneResolver::resolveJson_data()
{
    QTest::addColumn<QString>("json"); // settings->'reporting_timezone' as JSON text, "" = absent
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("absent") << "" << int(State::NotSet) << "";
    QTest::newRow("null") << "null" << int(State::NotSet) << "";
    QTest::newRow("string") << "\"Asia/Kolkata\"" << int(State::IanaId) << "";
    QTest::newRow("number") << "5" << int(State::Invalid) << "not a string";
    QTest::newRow("float") << "5.5" << int(State::Invalid) << "not a string";
    QTest::newRow("bool") << "true" << int(State::Invalid) << "not a string";
    QTest::newRow("object") << "{\"a\":1}" << int(State::Invalid) << "not a string";
    QTest::newRow("array") << "[\"UTC\"]" << int(State::Invalid) << "not a string";
    QTest::newRow("wrong-case") << "\"america/new_york\"" << int(State::Invalid) << "wrong case";
}

void TestZoneResolver::resolveJson()
{
    QFETCH(QString, json);
    QFETCH(int, state);
    QFETCH(QString, reasonPart);
    QJsonValue v(QJsonValue::Undefined);
    if (!json.isEmpty())
        v = QJsonDocument::fromJson("[" + json.toUtf8() + "]").array().at(0);
    const ZoneResolution r = ZoneResolver::resolve(v);
    QCOMPARE(int(r.state), state);
    if (!reasonPart.isEmpty())
        QVERIFY2(r.reason.contains(reasonPart), qPrintable(r.reason));
}

void TestZoneResolver::zoneIdsExcludeNonIdentifiers()
{
    const QStringList &ids = ZoneResolver::zoneIds();
    QVERIFY(ids.size() > 300);
    QVERIFY(ids.contains(QStringLiteral("America/New_York")));
    QVERIFY(ids.contains(QStringLiteral("Pacific/Chatham")));
    for (const QString &id : ids) {
        QVERIFY2(!id.startsWith(QLatin1String("posix/")) && !id.startsWith(QLatin1String("right/")), qPrintable(id));
        QVERIFY(id != QLatin1String("localtime") && id != QLatin1String("posixrules"));
    }
}

QTEST_GUILESS_MAIN(TestZoneResolver)
#include "tst_zoneresolver.moc"
