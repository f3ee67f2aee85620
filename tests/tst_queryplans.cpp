#include "fixtures.h"

#include "core/statedirectory.h"
#include "db/accountrepository.h"
#include "db/eventrepository.h"
#include "db/featureflags.h"
#include "jobs/accountsjob.h"
#include "jobs/backfilljob.h"
#include "jobs/fleet.h"
#include "jobs/timezonechange.h"
#include "jobs/verifyjob.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <mutex>

using namespace rollup;

// Statements that touch reporting_events or reporting_events_rollups never read the whole table
// and never another account's rows: every scan of either table is an index scan whose condition
// has account_id, on an index that starts with account_id. Checked with EXPLAIN (FORMAT JSON) on
// every statement the product sends while planning, backfilling, verifying (one account and a
// fleet), loading statistics and drilling down — recorded through Connection's observer and
// replayed with their own values — on a database where the planner would otherwise prefer a
// sequential scan; and, in the sources, every statement text in src/db/ names account_id.
// Every value reaches the server as a bound parameter: no recorded statement text carries one.
class TestQueryPlans : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void thePlannerWouldScanANaiveQuery();
    void everyStatementReadsOneAccountThroughAnIndex();
    void everyStatementInTheSourcesNamesAccountId();
    void everyValueIsBound();

private:
    struct Recorded
    {
        int pid;
        QString sql;
        QVariantList values;
        QVariantMap named;
    };
    QList<Recorded> record(const std::function<void()> &work);
    // Problems found in the plans of `statements`, replayed per session in one transaction each
    // (set_config calls run, the rest explained).
    // strict: every read of a row is through the account's own index entries (single-account
    // operations); otherwise only sequential scans are problems (fleet batches, whose statements
    // read many accounts' rows by design).
    QStringList explainAll(const QList<Recorded> &statements, bool strict);
    // perOuterRow: the node runs once per row of an enclosing nested loop's outer side.
    static void walk(const QJsonObject &node, const QString &statement, QStringList &problems, bool strict,
                     bool perOuterRow = false);
    std::unique_ptr<TestDatabase> m_db;
    QTemporaryDir m_state;
};

namespace {

// A value as an SQL literal (standard_conforming_strings is on).
QString literal(const QVariant &v)
{
    if (v.isNull())
        return QStringLiteral("NULL");
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Double:
        return v.toString();
    case QMetaType::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return QLatin1Char('\'') + v.toString().replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    }
}

// Qt's placeholders (? in order, or :name, a name used several times being one parameter) as
// PostgreSQL's $1, $2, ... with the values in that order. Casts (::type) are left alone.
std::pair<QString, QVariantList> toDollarParameters(const QString &sql, const QVariantList &positional, const QVariantMap &named)
{
    QString out;
    QVariantList values;
    QHash<QString, int> numberOf;
    int next = 0;
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql.at(i);
        if (c == QLatin1Char('\'')) { // a quoted literal is copied as it is
            const qsizetype end = sql.indexOf(QLatin1Char('\''), i + 1);
            out += sql.mid(i, end - i + 1);
            i = end;
        } else if (c == QLatin1Char('?') && named.isEmpty()) {
            values.append(positional.value(next));
            out += QStringLiteral("$%1").arg(++next);
        } else if (c == QLatin1Char(':') && !named.isEmpty() && i + 1 < sql.size()
                   && (sql.at(i + 1).isLetter() || sql.at(i + 1) == QLatin1Char('_'))
                   && (i == 0 || sql.at(i - 1) != QLatin1Char(':'))) {
            qsizetype j = i + 1;
            while (j < sql.size() && (sql.at(j).isLetterOrNumber() || sql.at(j) == QLatin1Char('_')))
                ++j;
            const QString key = sql.mid(i, j - i);
            if (!numberOf.contains(key)) {
                numberOf.insert(key, int(values.size()) + 1);
                values.append(named.value(key));
            }
            out += QStringLiteral("$%1").arg(numberOf.value(key));
            i = j - 1;
        } else {
            out += c;
        }
    }
    return {out, values};
}

const QStringList kAccountIndexes = {QStringLiteral("reporting_events__account_id__name__created_at"),
                                     QStringLiteral("reporting_events__account_id__name__inbox_id__created_at"),
                                     QStringLiteral("index_reporting_events_on_account_id"),
                                     QStringLiteral("index_rollup_unique_key"),
                                     QStringLiteral("index_rollup_timeseries"),
                                     QStringLiteral("index_rollup_summary")};
bool touchesRollupTables(const QString &sql)
{
    static const QRegularExpression re(QStringLiteral("\\breporting_events(_rollups)?\\b"));
    return re.match(sql).hasMatch();
}
} // namespace

void TestQueryPlans::initTestCase()
{
    QVERIFY(m_state.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_queryplans"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    // Account 1 holds most of the events, so a sequential scan is the cheapest way to read "its"
    // rows; accounts 2..6 are small, interleaved with it in time as the live app inserts them.
    for (qint64 a = 1; a <= 6; ++a)
        fx.accountWithZone(a, a % 2 ? QStringLiteral("America/New_York") : QStringLiteral("Asia/Kolkata"));
    m_db->exec(QStringLiteral(
        "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, "
        "created_at, updated_at) "
        "SELECT (ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved',"
        "'conversation_bot_handoff','conversation_opened'])[1 + i % 6], i % 1000, i % 700, "
        "CASE WHEN i % 50 = 0 THEN 2 + (i / 50) % 5 ELSE 1 END, 1 + i % 7, 1 + i % 3, i % 500, "
        "timestamp '2026-01-01' + i * interval '30 seconds', now() FROM generate_series(1, 150000) i ORDER BY i"));
    m_db->exec(
        QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
                       "sum_value, sum_value_business_hours, created_at, updated_at) "
                       "SELECT 1, date '2026-01-01' + d, 'agent', u, 'first_response', 1, 1, 1, now(), now() "
                       "FROM generate_series(0, 40) d, generate_series(1, 400) u"));
    m_db->exec(QStringLiteral("VACUUM ANALYZE reporting_events"));
    m_db->exec(QStringLiteral("VACUUM ANALYZE reporting_events_rollups"));
}

void TestQueryPlans::cleanupTestCase()
{
    Connection::setObserver({});
    m_db.reset();
}

QList<TestQueryPlans::Recorded> TestQueryPlans::record(const std::function<void()> &work)
{
    std::mutex mutex;
    QList<Recorded> out;
    Connection::setObserver([&](int pid, const QString &sql, const QVariantList &values, const QVariantMap &named) {
        std::lock_guard lock(mutex);
        out.append({pid, sql, values, named});
    });
    work();
    Connection::setObserver({});
    return out;
}

namespace {

bool accountIndexScan(const QJsonObject &node)
{
    return kAccountIndexes.contains(node.value(QStringLiteral("Index Name")).toString())
           && node.value(QStringLiteral("Index Cond")).toString().contains(QLatin1String("account_id"));
}

// A bitmap restricted to the account's own index entries: an account-index scan, an AND with at
// least one such scan (the others only narrow it), or an OR of such bitmaps.
bool accountBitmap(const QJsonObject &node)
{
    const QString type = node.value(QStringLiteral("Node Type")).toString();
    const QJsonArray children = node.value(QStringLiteral("Plans")).toArray();
    if (type == QLatin1String("Bitmap Index Scan"))
        return accountIndexScan(node);
    if (type == QLatin1String("BitmapAnd"))
        return std::any_of(children.cbegin(), children.cend(), [](const QJsonValue &c) { return accountBitmap(c.toObject()); });
    if (type == QLatin1String("BitmapOr"))
        return std::all_of(children.cbegin(), children.cend(), [](const QJsonValue &c) { return accountBitmap(c.toObject()); });
    return false;
}

} // namespace

// Every read of a row of either table goes through the account's own index entries: no
// sequential scan; index scans on an index that starts with account_id, with account_id in the
// condition; bitmap heap scans whose bitmap is restricted that way. And events are never read by
// a bitmap heap scan per row of a nested loop (per account of a batch): accounts' events share
// heap pages, so such a plan visits a page once for each of its accounts.
void TestQueryPlans::walk(const QJsonObject &node, const QString &statement, QStringList &problems, bool strict,
                          bool perOuterRow)
{
    const QString type = node.value(QStringLiteral("Node Type")).toString();
    const QString relation = node.value(QStringLiteral("Relation Name")).toString();
    const bool ours = relation == QLatin1String("reporting_events") || relation == QLatin1String("reporting_events_rollups");
    if (ours && type == QLatin1String("Seq Scan"))
        problems << QStringLiteral("sequential scan of %1 in: %2").arg(relation, statement.left(160));
    if (ours && strict) {
        if ((type == QLatin1String("Index Scan") || type == QLatin1String("Index Only Scan")) && !accountIndexScan(node))
            problems << QStringLiteral("%1 on %2 (%3) reads other accounts' rows in: %4")
                            .arg(type, node.value(QStringLiteral("Index Name")).toString(),
                                 node.value(QStringLiteral("Index Cond")).toString(), statement.left(160));
        if (type == QLatin1String("Bitmap Heap Scan")) {
            const QJsonArray children = node.value(QStringLiteral("Plans")).toArray();
            if (children.isEmpty() || !accountBitmap(children.at(0).toObject()))
                problems << QStringLiteral("a bitmap heap scan of %1 not restricted to the account's index entries in: %2")
                                .arg(relation, statement.left(160));
        }
    }
    if (perOuterRow && relation == QLatin1String("reporting_events") && type == QLatin1String("Bitmap Heap Scan"))
        problems << QStringLiteral("a bitmap heap scan of reporting_events once per row of a nested loop in: %1")
                        .arg(statement.left(160));
    const bool nestedLoop = type == QLatin1String("Nested Loop");
    for (const QJsonValue &child : node.value(QStringLiteral("Plans")).toArray()) {
        const QJsonObject c = child.toObject();
        walk(c, statement, problems, strict,
             perOuterRow || (nestedLoop && c.value(QStringLiteral("Parent Relationship")).toString() == QLatin1String("Inner")));
    }
}

QStringList TestQueryPlans::explainAll(const QList<Recorded> &statements, bool strict)
{
    QStringList problems;
    QMap<int, QList<Recorded>> bySession;
    for (const Recorded &r : statements)
        bySession[r.pid].append(r);
    int explained = 0;
    for (const QList<Recorded> &session : std::as_const(bySession)) {
        Connection c(m_db->settings());
        c.begin();
        for (const Recorded &r : session) {
            const QString trimmed = r.sql.trimmed();
            if (trimmed.startsWith(QLatin1String("SELECT set_config"))) {
                c.run(r.sql, r.values);
                continue;
            }
            if (!touchesRollupTables(r.sql) || trimmed.startsWith(QLatin1String("SELECT pg_advisory_unlock")))
                continue;
            // EXPLAIN cannot be prepared (Qt's driver prepares every statement): prepare the
            // statement itself with $n parameters and explain its execution with the values.
            const auto [prepared, values] = toDollarParameters(r.sql, r.values, r.named);
            const QString name = QStringLiteral("explained_%1").arg(explained);
            QSqlQuery q(c.db());
            if (!q.exec(QStringLiteral("PREPARE %1 AS %2").arg(name, prepared))) {
                problems << QStringLiteral("PREPARE failed (%1) for: %2").arg(q.lastError().text(), r.sql.left(160));
                continue;
            }
            QStringList literals;
            for (const QVariant &v : values)
                literals << literal(v);
            if (!q.exec(QStringLiteral("EXPLAIN (FORMAT JSON) EXECUTE %1%2")
                            .arg(name,
                                 literals.isEmpty() ? QString() : QStringLiteral("(%1)").arg(literals.join(QLatin1Char(',')))))) {
                problems << QStringLiteral("EXPLAIN failed (%1) for: %2").arg(q.lastError().text(), r.sql.left(160));
                continue;
            }
            if (!q.next()) {
                problems << QStringLiteral("EXPLAIN returned nothing for: %1").arg(r.sql.left(160));
                continue;
            }
            const QJsonArray plan = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array();
            walk(plan.at(0).toObject().value(QStringLiteral("Plan")).toObject(), r.sql, problems, strict);
            ++explained;
        }
        c.rollback();
    }
    qInfo("%d statements explained", explained);
    if (explained == 0)
        problems << QStringLiteral("no statement was explained");
    return problems;
}

void TestQueryPlans::thePlannerWouldScanANaiveQuery()
{
    // The premise: reading "account 1's events" without the product's care is a sequential scan
    // here, so a plan that avoids it is the product's doing, not the data's.
    QSqlQuery q(m_db->connection().db()); // not prepared: EXPLAIN cannot be
    QVERIFY(q.exec(QStringLiteral(
        "EXPLAIN (FORMAT JSON) SELECT account_id, min(created_at), max(created_at) FROM reporting_events GROUP BY account_id")));
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toString().contains(QLatin1String("\"Seq Scan\"")), qPrintable(q.value(0).toString()));
    // Reading its events' values (not only counting index entries: once autovacuum has set the
    // visibility map, an index-only count is cheap whatever the account's share).
    QVERIFY(q.exec(QStringLiteral("EXPLAIN (FORMAT JSON) SELECT sum(value) FROM reporting_events WHERE account_id = 1")));
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toString().contains(QLatin1String("\"Seq Scan\"")), qPrintable(q.value(0).toString()));
}

void TestQueryPlans::everyStatementReadsOneAccountThroughAnIndex()
{
    const ConnectionSettings settings = m_db->settings();
    const SysSeconds now = instant(QStringLiteral("2026-03-01 12:00:00"));
    const QList<Recorded> statements = record([&]() {
        const JobContext context(settings);
        BackfillPlanRequest plan;
        plan.accountId = 1;
        const BackfillPlanOutcome planned = BackfillJob::prepare(context, plan, now); // span, count
        QVERIFY2(planned.ok(), qPrintable(planned.error));
        plan.mode = BackfillMode::MissingDays;
        QVERIFY(BackfillJob::prepare(context, plan, now).ok());
        const BackfillResult written = BackfillJob::run(context, planned.plan, {}, 7, 2);
        QCOMPARE(written.outcome, BackfillResult::Outcome::Completed);
        VerifyRequest verify;
        verify.accountId = 2;
        const VerifyOutcome verified = VerifyJob::run(context, verify, now);
        QVERIFY2(verified.error.isEmpty(), qPrintable(verified.error));
        QVERIFY(AccountsJob::loadStats(context, QList<qint64>{1, 2, 3, 4, 5, 6}).error.isEmpty());
        QVERIFY(TimezoneChange::save(context, 3, QStringLiteral("Europe/Berlin")).ok());
        const std::unique_ptr<Connection> c = context.connect();
        AccountRepository(*c).rollupCoverage(1);
        const ZoneResolution ny = ZoneResolver::resolveName(QStringLiteral("America/New_York"));
        EventRepository(*c).eventsOfKey(1, DayWindows::window(ny.zone, *parseLocalDate(QStringLiteral("2026-01-10"))),
                                        QStringLiteral("agent"), 2, QStringLiteral("first_response"));
    });
    QStringList problems = explainAll(statements, true);
    // Fleet runs: batches of accounts in one statement, and the statistics of every account.
    const QList<Recorded> fleetStatements = record([&]() {
        const JobContext context(settings);
        QVERIFY(AccountsJob::loadStats(context, std::nullopt).error.isEmpty());
        FleetRequest fleet;
        fleet.now = now;
        fleet.mode = FleetMode::Verify;
        QVERIFY(FleetRunner::run(context, fleet).error.isEmpty());
        fleet.mode = FleetMode::Backfill;
        fleet.days = FleetDays::Differing;
        QVERIFY(FleetRunner::run(context, fleet).error.isEmpty());
        fleet.days = FleetDays::Missing;
        QVERIFY(FleetRunner::run(context, fleet).error.isEmpty());
    });
    problems += explainAll(fleetStatements, false);
    for (const QString &p : problems)
        qWarning("%s", qPrintable(p));
    QVERIFY2(problems.isEmpty(), "see the warnings above");
}

void TestQueryPlans::everyStatementInTheSourcesNamesAccountId()
{
    // Each string literal in src/db/ that reads or writes one of the two tables (FROM, JOIN,
    // INTO, UPDATE, DELETE FROM) names account_id in the same literal.
    const QString source = qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/src/db");
    static const QRegularExpression literal(QStringLiteral("QStringLiteral\\(\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*)+)\\)"));
    static const QRegularExpression access(QStringLiteral("\\b(FROM|JOIN|INTO|UPDATE)\\s+reporting_events(_rollups)?\\b"));
    int checked = 0;
    QStringList problems;
    QDirIterator files(source, {QStringLiteral("*.cpp")});
    while (files.hasNext()) {
        const QString path = files.next();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        for (auto it = literal.globalMatch(text); it.hasNext();) {
            const QString sql = it.next().captured(1);
            if (!access.match(sql).hasMatch())
                continue;
            ++checked;
            if (!sql.contains(QLatin1String("account_id")))
                problems << QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), sql.simplified().left(200));
        }
    }
    qInfo("%d statement texts checked", checked);
    QVERIFY(checked >= 15);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

// Every value the product sends is a bound parameter, never part of a statement's text (where
// SQL typed by a user, or a stored name, could become SQL). A database of its own holds one
// account whose id, name, zones and dates occur nowhere in the product's statement texts; it is
// planned, backfilled, verified (alone and as a fleet), listed, its statistics, coverage, events
// and names read, its zone changed and cleared and its read-path flag set. Every statement
// recorded must leave all of them to its bound values.
void TestQueryPlans::everyValueIsBound()
{
    TestDatabase db(QStringLiteral("tst_queryplans_bound"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    const qint64 id = 73400331;
    Fixtures fx{db};
    fx.account(id, QStringLiteral("Bound Values Ltd"), QStringLiteral("{\"reporting_timezone\": \"Pacific/Chatham\"}"));
    db.exec(
        QStringLiteral("INSERT INTO users (id, name, created_at, updated_at) VALUES (91827, 'Agent Boundvalue', now(), now())"));
    db.exec(QStringLiteral("INSERT INTO inboxes (id, channel_id, name, account_id, created_at, updated_at) VALUES (82736, 1, "
                           "'Inbox Boundvalue', ?, now(), now())"),
            {id});
    for (int d = 3; d <= 20; ++d)
        fx.event(id, d % 2 ? QStringLiteral("first_response") : QStringLiteral("conversation_bot_handoff"), 10 + d, 5 + d, 91827,
                 82736, 60000 + d, QStringLiteral("2025-07-%1 13:45:00").arg(d, 2, 10, QLatin1Char('0')));
    const ConnectionSettings settings = db.settings();
    const SysSeconds now = instant(QStringLiteral("2025-08-01 12:00:00"));
    const QList<Recorded> statements = record([&]() {
        const JobContext context(settings);
        QVERIFY(AccountsJob::load(context).error.isEmpty());
        QVERIFY(AccountsJob::loadStats(context, QList<qint64>{id}).error.isEmpty());
        BackfillPlanRequest plan;
        plan.accountId = id;
        const BackfillPlanOutcome planned = BackfillJob::prepare(context, plan, now);
        QVERIFY2(planned.ok(), qPrintable(planned.error));
        QCOMPARE(BackfillJob::run(context, planned.plan, {}, 7, 2).outcome, BackfillResult::Outcome::Completed);
        plan.mode = BackfillMode::MissingDays;
        QVERIFY(BackfillJob::prepare(context, plan, now).ok());
        VerifyRequest verify;
        verify.accountId = id;
        verify.range = RangeRequest{QStringLiteral("2025-07-02"), QStringLiteral("2025-07-21"), false};
        const VerifyOutcome verified = VerifyJob::run(context, verify, now);
        QVERIFY2(verified.error.isEmpty(), qPrintable(verified.error));
        QVERIFY(verified.result.summary.clean());
        FleetRequest fleet;
        fleet.now = now;
        fleet.mode = FleetMode::Verify;
        QVERIFY(FleetRunner::run(context, fleet).error.isEmpty());
        fleet.mode = FleetMode::Backfill;
        QVERIFY(FleetRunner::run(context, fleet).error.isEmpty());
        const std::unique_ptr<Connection> c = context.connect();
        AccountRepository accounts(*c);
        QVERIFY(accounts.find(id).has_value());
        QVERIFY(accounts.eventSpan(id).first.has_value());
        QCOMPARE(accounts.countEvents(id, instant(QStringLiteral("2025-07-01 00:00:00")),
                                      instant(QStringLiteral("2025-07-31 00:00:00"))),
                 qint64(18));
        QCOMPARE(accounts.eventCounts({id}).value(id), qint64(18));
        QVERIFY(accounts.rollupCoverage(id).rows > 0);
        QCOMPARE(accounts.userNames({91827}).value(91827), QStringLiteral("Agent Boundvalue"));
        QCOMPARE(accounts.inboxNames({82736}).value(82736), QStringLiteral("Inbox Boundvalue"));
        const ZoneResolution chatham = ZoneResolver::resolveName(QStringLiteral("Pacific/Chatham"));
        QCOMPARE(EventRepository(*c)
                     .eventsOfKey(id, DayWindows::window(chatham.zone, *parseLocalDate(QStringLiteral("2025-07-06"))),
                                  QStringLiteral("agent"), 91827, QStringLiteral("first_response"))
                     .size(),
                 qsizetype(1)); // the event of 2025-07-05 13:45 UTC, 02:30 on the 6th in Chatham
        QVERIFY(TimezoneChange::save(context, id, QStringLiteral("Asia/Kathmandu")).ok());
        QVERIFY(accounts.clearTimezone(id).has_value());
        QVERIFY(FeatureFlags(*c).enable(id, 19).has_value());
        QVERIFY(FeatureFlags(*c).read(id).has_value());
    });
    // The values, as text a statement could carry. The product's statement texts hold none of them.
    const QStringList values
        = {QString::number(id),         QStringLiteral("91827"), QStringLiteral("82736"),      QStringLiteral("Chatham"),
           QStringLiteral("Kathmandu"), QStringLiteral("2025-"), QStringLiteral("Values Ltd"), QStringLiteral("Boundvalue")};
    QStringList problems;
    for (const Recorded &r : statements)
        for (const QString &v : values)
            if (r.sql.contains(v, Qt::CaseInsensitive))
                problems << QStringLiteral("'%1' in the text of: %2").arg(v, r.sql.simplified().left(200));
    qInfo("%lld statements recorded", qlonglong(statements.size()));
    QVERIFY(statements.size() >= 30);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestQueryPlans)
#include "tst_queryplans.moc"
