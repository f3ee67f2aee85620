#include "core/featurebits.h"
#include "fixtures.h"
#include "jobs/job.h"
#include "ui/readpathsettings.h"

#include "db/dberror.h"
#include "db/featureflags.h"
#include "jobs/backfillengine.h"
#include "jobs/verifyjob.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace rollup;

// report_rollup (docs/rollups.md §1.4, §8.4): one atomic UPDATE that sets only its bit, and the
// job refuses it without a clean verify of the account's whole history.
class TestFeatureFlags : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void bitSetting();
    void enableSetsOnlyTheBit_data();
    void enableSetsOnlyTheBit();
    void missingAccountAndBadBit();
    void readOnlyConnectionWritesNothing();
    void refusedBeforeCleanWholeHistoryVerify();

private:
    QTemporaryDir m_config;
};

static const qint64 kBit19 = qint64(1) << 19;

void TestFeatureFlags::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8()); // QSettings stays out of the user's files
    QCoreApplication::setOrganizationName(QStringLiteral("rollup-console-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_featureflags"));
}

void TestFeatureFlags::bitSetting()
{
    QSettings().remove(QLatin1String(ReadPathSettings::kReportRollupBitKey));
    QCOMPARE(ReadPathSettings::reportRollupBit(), 19);
    ReadPathSettings::setReportRollupBit(20);
    QCOMPARE(ReadPathSettings::reportRollupBit(), 20);
    ReadPathSettings::setReportRollupBit(63); // out of range: the default
    QCOMPARE(ReadPathSettings::reportRollupBit(), 19);
    QSettings().setValue(QLatin1String(ReadPathSettings::kReportRollupBitKey), QStringLiteral("nineteen"));
    QCOMPARE(ReadPathSettings::reportRollupBit(), 19);
    QSettings().remove(QLatin1String(ReadPathSettings::kReportRollupBitKey));
    QCOMPARE(FeatureBits::mask(19), 524288);
}

void TestFeatureFlags::enableSetsOnlyTheBit_data()
{
    QTest::addColumn<qint64>("before");
    QTest::addColumn<int>("bit");
    QTest::newRow("none") << qint64(0) << 19;
    QTest::newRow("first 18 features") << qint64(262143) << 19;
    QTest::newRow("already on") << qint64(262143 | kBit19) << 19;
    QTest::newRow("every other bit") << (std::numeric_limits<qint64>::max() & ~kBit19) << 19;
    QTest::newRow("sign bit set") << (std::numeric_limits<qint64>::min() | 5) << 19;
    QTest::newRow("fork bit 40") << qint64(1) << 40;
}

void TestFeatureFlags::enableSetsOnlyTheBit()
{
    QFETCH(qint64, before);
    QFETCH(int, bit);
    TestDatabase db(QStringLiteral("tst_featureflags"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.accountWithZone(1, QStringLiteral("UTC"));
    fx.accountWithZone(2, QStringLiteral("UTC"));
    db.exec(QStringLiteral("UPDATE accounts SET feature_flags = ? WHERE id IN (1, 2)"), {before});
    FeatureFlags flags(db.connection());
    QCOMPARE(flags.read(1).value(), before);
    const std::optional<qint64> after = flags.enable(1, bit);
    QCOMPARE(after.value(), before | (qint64(1) << bit));
    QCOMPARE(db.scalar(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = 1")), before | (qint64(1) << bit));
    QCOMPARE(db.scalar(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = 2")), before); // other account untouched
    QCOMPARE(db.scalar(QStringLiteral("SELECT (feature_flags & ?::bigint) <> 0 FROM accounts WHERE id = 1"), {qint64(1) << bit}),
             1);
}

void TestFeatureFlags::missingAccountAndBadBit()
{
    TestDatabase db(QStringLiteral("tst_featureflags"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    FeatureFlags flags(db.connection());
    QVERIFY(!flags.read(42));
    QVERIFY(!flags.enable(42, 19));
    Fixtures{db}.accountWithZone(1, QStringLiteral("UTC"));
    QVERIFY_THROWS_EXCEPTION(DbError, flags.enable(1, 63));
    QVERIFY_THROWS_EXCEPTION(DbError, flags.enable(1, -1));
    QCOMPARE(flags.read(1).value(), 0);
}

void TestFeatureFlags::readOnlyConnectionWritesNothing()
{
    TestDatabase db(QStringLiteral("tst_featureflags"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures{db}.accountWithZone(1, QStringLiteral("UTC"));
    ConnectionSettings ro = db.settings();
    ro.readOnly = true;
    Connection connection(ro);
    try {
        FeatureFlags(connection).enable(1, 19);
        QFAIL("a read-only connection wrote");
    } catch (const DbError &e) {
        QCOMPARE(e.sqlState(), QStringLiteral("25006"));
    }
    QCOMPARE(db.scalar(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = 1")), 0);
}

void TestFeatureFlags::refusedBeforeCleanWholeHistoryVerify()
{
    TestDatabase db(QStringLiteral("tst_featureflags"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("America/New_York"));
    const qint64 initial = 262143 | (qint64(1) << 40);
    db.exec(QStringLiteral("UPDATE accounts SET feature_flags = ? WHERE id = 1"), {initial});
    fx.event(a, QStringLiteral("first_response"), 100, 60, 11, 21, 31, QStringLiteral("2026-02-10 14:00:00"));
    fx.event(a, QStringLiteral("conversation_resolved"), 500, 300, 11, 21, 31, QStringLiteral("2026-02-12 15:00:00"));
    const SysSeconds now = instant(QStringLiteral("2026-11-29 12:00:00"));
    auto verify = [&](const QString &from, const QString &to) {
        VerifyRequest request;
        request.accountId = a;
        request.range = RangeRequest{from, to, false};
        return VerifyJob::run(JobContext(db.settings()), request, now);
    };
    auto enable = [&](const VerifyOutcome &evidence) {
        QFuture<ReadPathChange> f = VerifyJob::enableReadPath(db.settings(), evidence, 19).future;
        f.waitForFinished();
        return f.result();
    };
    auto flags = [&]() { return db.scalar(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = 1")); };

    // No verify at all.
    ReadPathChange change = enable(VerifyOutcome{});
    QVERIFY(!change.refusal.isEmpty());
    QCOMPARE(flags(), initial);
    // A whole-history verify that finds differences (no rollups yet).
    VerifyOutcome outcome = verify({}, {});
    QVERIFY(outcome.ok());
    QVERIFY(outcome.wholeHistory());
    QVERIFY(!outcome.result.summary.clean());
    QCOMPARE(outcome.featureFlags.value(), initial);
    change = enable(outcome);
    QVERIFY2(change.refusal.contains(QLatin1String("difference")), qPrintable(change.refusal));
    QCOMPARE(flags(), initial);
    // Backfill the days; a clean verify of a chosen range is still not the whole history.
    BackfillRequest br;
    br.accountId = a;
    const BackfillPlan plan = BackfillPlanner::plan(db.connection(), br, now);
    QCOMPARE(BackfillEngine::run(JobContext(db.settings()), db.connection(), plan, {}).outcome,
             BackfillResult::Outcome::Completed);
    outcome = verify(QStringLiteral("2026-02-10"), QStringLiteral("2026-02-12"));
    QVERIFY(outcome.result.summary.clean());
    QVERIFY(!outcome.wholeHistory());
    change = enable(outcome);
    QVERIFY2(change.refusal.contains(QLatin1String("range")), qPrintable(change.refusal));
    QCOMPARE(flags(), initial);
    // A failed verify is no evidence either.
    VerifyRequest missing;
    missing.accountId = 77;
    VerifyOutcome failed = VerifyJob::run(JobContext(db.settings()), missing, now);
    QVERIFY(!failed.error.isEmpty());
    QVERIFY(!VerifyJob::readPathEligible(failed));
    // A stale row on a day before the first event (e.g. bucketed in an earlier time zone) is
    // outside every whole-history verify: clean, but no evidence for the read path until a
    // backfill of that day clears it.
    fx.rollupRow(a, QStringLiteral("2026-02-09"), QStringLiteral("account"), a, QStringLiteral("first_response"), 1, 100, 60);
    outcome = verify({}, {});
    QVERIFY(outcome.result.summary.clean());
    QCOMPARE(outcome.result.outside.rows, 1);
    change = enable(outcome);
    QVERIFY2(change.refusal.contains(QLatin1String("outside")) && change.refusal.contains(QLatin1String("2026-02-09")),
             qPrintable(change.refusal));
    QCOMPARE(flags(), initial);
    BackfillRequest stale;
    stale.accountId = a;
    stale.range = RangeRequest{QStringLiteral("2026-02-09"), QStringLiteral("2026-02-09"), false};
    QCOMPARE(
        BackfillEngine::run(JobContext(db.settings()), db.connection(), BackfillPlanner::plan(db.connection(), stale, now), {})
            .outcome,
        BackfillResult::Outcome::Completed);
    // The clean whole-history verify: bit 19 only, the rest untouched.
    outcome = verify({}, {});
    QCOMPARE(outcome.result.outside.rows, 0);
    QVERIFY(outcome.result.summary.clean());
    QCOMPARE(outcome.result.plan.windows.size(), 3);
    QString reason;
    QVERIFY2(VerifyJob::readPathEligible(outcome, &reason), qPrintable(reason));
    change = enable(outcome);
    QVERIFY2(change.done(), qPrintable(change.error + change.refusal));
    QCOMPARE(change.before.value(), initial);
    QCOMPARE(change.after.value(), initial | kBit19);
    QCOMPARE(flags(), initial | kBit19);
}

QTEST_GUILESS_MAIN(TestFeatureFlags)
#include "tst_featureflags.moc"
