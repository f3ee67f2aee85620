#include "core/metricregistry.h"

#include <QTest>

using namespace rollup;

class TestMetricRegistry : public QObject
{
    Q_OBJECT
private slots:
    void mapping_data();
    void mapping();
    void eventNames();
    void unknownEventHasNoMetrics();
    void metricsAndDimensions();
};

void TestMetricRegistry::mapping_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QStringList>("metrics");
    QTest::addColumn<QList<bool>>("duration");
    QTest::addColumn<bool>("distinct");
    // docs/rollups.md §2.
    QTest::newRow("resolved") << "conversation_resolved" << QStringList{"resolutions_count", "resolution_time"}
                              << QList<bool>{false, true} << false;
    QTest::newRow("first_response") << "first_response" << QStringList{"first_response"} << QList<bool>{true} << false;
    QTest::newRow("reply_time") << "reply_time" << QStringList{"reply_time"} << QList<bool>{true} << false;
    QTest::newRow("bot_resolved") << "conversation_bot_resolved" << QStringList{"bot_resolutions_count"} << QList<bool>{false}
                                  << false;
    QTest::newRow("bot_handoff") << "conversation_bot_handoff" << QStringList{"bot_handoffs_count"} << QList<bool>{false} << true;
}

void TestMetricRegistry::mapping()
{
    QFETCH(QString, event);
    QFETCH(QStringList, metrics);
    QFETCH(QList<bool>, duration);
    QFETCH(bool, distinct);
    const QList<MetricMapping> got = MetricRegistry::metricsFor(event);
    QCOMPARE(got.size(), metrics.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        QCOMPARE(got.at(i).metric, metrics.at(i));
        QCOMPARE(got.at(i).payload == Payload::Duration, duration.at(i));
        QCOMPARE(MetricRegistry::isDurationMetric(metrics.at(i)), duration.at(i));
        QCOMPARE(got.at(i).distinctConversations, distinct);
    }
}

void TestMetricRegistry::eventNames()
{
    QCOMPARE(MetricRegistry::eventNames(), (QStringList{"conversation_resolved", "first_response", "reply_time",
                                                        "conversation_bot_resolved", "conversation_bot_handoff"}));
    QCOMPARE(MetricRegistry::standardEventNames(),
             (QStringList{"conversation_resolved", "first_response", "reply_time", "conversation_bot_resolved"}));
    QCOMPARE(MetricRegistry::distinctEventNames(), QStringList{"conversation_bot_handoff"});
}

void TestMetricRegistry::unknownEventHasNoMetrics()
{
    QVERIFY(MetricRegistry::metricsFor(QStringLiteral("conversation_created")).isEmpty());
    QVERIFY(MetricRegistry::metricsFor(QStringLiteral("conversation_opened")).isEmpty());
    QVERIFY(MetricRegistry::metricsFor(QStringLiteral("Conversation_Resolved")).isEmpty());
}

void TestMetricRegistry::metricsAndDimensions()
{
    QCOMPARE(MetricRegistry::metricNames(), (QStringList{"resolutions_count", "resolution_time", "first_response", "reply_time",
                                                         "bot_resolutions_count", "bot_handoffs_count"}));
    QCOMPARE(MetricRegistry::dimensionTypes(), (QStringList{"account", "agent", "inbox"}));
    QVERIFY(!MetricRegistry::dimensionTypes().contains(QStringLiteral("team")));
    QVERIFY(!MetricRegistry::isKnownMetric(QStringLiteral("conversations_count")));
}

QTEST_GUILESS_MAIN(TestMetricRegistry)
#include "tst_metricregistry.moc"
