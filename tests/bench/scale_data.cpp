#include "scale_data.h"

#include "core/metricregistry.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>
#include <random>

namespace rollup::scale {

namespace {

constexpr qint64 kMinSize = 100;
constexpr qint64 kMaxSize = 1000000;
constexpr qint64 kSpanMicros = qint64(1096) * 86400 * 1000000; // kSpanStart .. kSpanEnd
constexpr qint64 kEventsPerBatch = 200000;
constexpr std::uint64_t kSeed = 20260601;

// What accounts.settings holds, with a weight: Rails friendly names, IANA ids (links too) with
// DST, half-hour and 45-minute offsets and midnight transitions, accounts without a zone, and
// values the live path cannot resolve. nullptr: settings is SQL NULL. None of the zones is one
// where the live path's calendar date and the backfill's window disagree (docs/rollups.md §5.4),
// so bench_fleet_rows, dated by PostgreSQL's AT TIME ZONE, equals what a backfill writes.
struct SettingsChoice
{
    const char *json;
    int weight;
};
const SettingsChoice kSettings[] = {
    {R"j({"reporting_timezone": "Eastern Time (US & Canada)"})j", 8},
    {R"j({"reporting_timezone": "Pacific Time (US & Canada)"})j", 5},
    {R"j({"reporting_timezone": "Central Time (US & Canada)"})j", 4},
    {R"j({"reporting_timezone": "Chennai"})j", 6},
    {R"j({"reporting_timezone": "Brasilia"})j", 4},
    {R"j({"reporting_timezone": "London"})j", 3},
    {R"j({"reporting_timezone": "UTC"})j", 3},
    {R"j({"reporting_timezone": "Tokyo"})j", 2},
    {R"j({"reporting_timezone": "Sydney"})j", 2},
    {R"j({"reporting_timezone": "Kathmandu"})j", 1},
    {R"j({"reporting_timezone": "America/New_York"})j", 6},
    {R"j({"reporting_timezone": "Asia/Kolkata"})j", 6},
    {R"j({"reporting_timezone": "America/Sao_Paulo"})j", 4},
    {R"j({"reporting_timezone": "Europe/Berlin"})j", 4},
    {R"j({"reporting_timezone": "Europe/London"})j", 3},
    {R"j({"reporting_timezone": "America/Santiago"})j", 2},
    {R"j({"reporting_timezone": "America/Mexico_City"})j", 2},
    {R"j({"reporting_timezone": "Africa/Lagos"})j", 2},
    {R"j({"reporting_timezone": "Asia/Dubai"})j", 2},
    {R"j({"reporting_timezone": "Asia/Singapore"})j", 2},
    {R"j({"reporting_timezone": "Australia/Lord_Howe"})j", 1},
    {R"j({"reporting_timezone": "Asia/Kathmandu"})j", 1},
    {R"j({"reporting_timezone": "Pacific/Chatham"})j", 1},
    {R"j({"reporting_timezone": "Asia/Tehran"})j", 1},
    {R"j({"reporting_timezone": "America/Havana"})j", 1},
    {R"j({"reporting_timezone": "Pacific/Kiritimati"})j", 1},
    {R"j({"reporting_timezone": "Asia/Calcutta"})j", 1},
    {R"j({"reporting_timezone": "US/Eastern"})j", 1},
    {nullptr, 3},
    {R"j({})j", 4},
    {R"j({"reporting_timezone": null})j", 1},
    {R"j({"reporting_timezone": ""})j", 1},
    {R"j({"other_setting": true})j", 1},
    {R"j({"reporting_timezone": "Invalid/Zone"})j", 1},
    {R"j({"reporting_timezone": 5})j", 1},
    {R"j({"reporting_timezone": "america/new_york"})j", 1},
    {R"j({"reporting_timezone": " UTC"})j", 1},
};
const char *const kLargestSettings = R"j({"reporting_timezone": "Eastern Time (US & Canada)"})j";

// Event names: 1 in 8 is not rolled up; the five rolled-up names with these weights (of 100).
const char *const kOtherNames[] = {"conversation_opened", "conversation_opened", "conversation_opened",
                                   "conversation_captain_inference_resolved", "Conversation_Resolved"};
const QMap<QString, int> kNameWeights = {{QStringLiteral("conversation_resolved"), 30},
                                         {QStringLiteral("first_response"), 25},
                                         {QStringLiteral("reply_time"), 30},
                                         {QStringLiteral("conversation_bot_resolved"), 7},
                                         {QStringLiteral("conversation_bot_handoff"), 8}};

QString storedLabel(const QString &settingsJson)
{
    if (settingsJson.isEmpty())
        return QStringLiteral("settings NULL");
    const QJsonObject o = QJsonDocument::fromJson(settingsJson.toUtf8()).object();
    if (!o.contains(QStringLiteral("reporting_timezone")))
        return QStringLiteral("no key");
    return QString::fromUtf8(
               QJsonDocument(QJsonArray{o.value(QStringLiteral("reporting_timezone"))}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

// One time-ordered batch of every account's events: event j of account a lies in its slot
// [first + w*j/n, first + w*(j+1)/n) (w: the account's active span, n: its events), so only a few
// j per account can fall into [lo, hi); they are generated, filtered to the batch exactly, and
// inserted in created_at order. Attributes come from hashint8extended(j, account*8 + k), one hash
// per attribute: deterministic and well mixed.
QString batchSql()
{
    return QStringLiteral(
        "INSERT INTO reporting_events (name, value, account_id, inbox_id, user_id, conversation_id, created_at, updated_at, "
        "value_in_business_hours) "
        "SELECT n.name, v.value, a.account_id, "
        "CASE WHEN h.h3 % 211 = 0 THEN NULL ELSE a.account_id * 100 + (h.h3 / 211) % a.inboxes END, "
        "CASE WHEN n.bot AND h.h2 % 10 <> 0 THEN NULL WHEN h.h2 % 13 = 0 THEN NULL "
        "ELSE a.account_id * 1000 + (h.h2 / 130) % a.agents END, "
        "CASE WHEN h.h4 % 97 = 0 THEN NULL ELSE a.conversation_base + j / 4 END, "
        "t.at, t.at, "
        "CASE WHEN v.value IS NULL OR (h.h5 / 53000000) % 17 = 0 THEN NULL "
        "ELSE v.value * ((h.h5 / 901000000) % 100) / 100.0::float8 END "
        "FROM bench_accounts a "
        "CROSS JOIN LATERAL (SELECT (:span - a.first_us)::float8 AS width) w "
        "CROSS JOIN LATERAL generate_series("
        "greatest(0, floor(a.events::float8 * (:lo - a.first_us) / w.width)::bigint - 1), "
        "least(a.events - 1, floor(a.events::float8 * (:hi - a.first_us) / w.width)::bigint + 1)) AS j "
        "CROSS JOIN LATERAL (SELECT hashint8extended(j, a.account_id * 8) & 9223372036854775807 AS h0, "
        "hashint8extended(j, a.account_id * 8 + 1) & 9223372036854775807 AS h1, "
        "hashint8extended(j, a.account_id * 8 + 2) & 9223372036854775807 AS h2, "
        "hashint8extended(j, a.account_id * 8 + 3) & 9223372036854775807 AS h3, "
        "hashint8extended(j, a.account_id * 8 + 4) & 9223372036854775807 AS h4, "
        "hashint8extended(j, a.account_id * 8 + 5) & 9223372036854775807 AS h5) h "
        "CROSS JOIN LATERAL (SELECT a.first_us + floor(w.width * (j + (h.h0 % 1000000) / 1e6::float8) / a.events)::bigint AS us) "
        "u "
        "CROSS JOIN LATERAL (SELECT :t0::timestamp + u.us * interval '1 microsecond' AS at) t "
        "CROSS JOIN LATERAL (SELECT CASE WHEN h.h1 % 8 = 0 "
        "THEN (:other::text[])[1 + ((h.h1 / 8) % cardinality(:other::text[]))::int] "
        "ELSE (:weighted::text[])[1 + ((h.h1 / 8) % 100)::int] END AS name) n0 "
        "CROSS JOIN LATERAL (SELECT n0.name, n0.name LIKE 'conversation_bot%' AS bot) n "
        "CROSS JOIN LATERAL (SELECT CASE WHEN h.h5 % 53 = 0 THEN NULL "
        "ELSE 86400 * power(((h.h5 / 53) % 1000000) / 1e6::float8, 3) END AS value) v "
        "WHERE u.us >= :lo AND u.us < :hi "
        "ORDER BY u.us");
}

// The rows of reporting_events_rollups computed from the events in one statement, dated by the
// calendar date in the account's resolved zone (AT TIME ZONE; the server's tz database is the
// system's, like the console's). distinctHandoffs: a backfill's COUNT(DISTINCT conversation_id);
// otherwise the live path's one count per event. liveOnly: the live accounts' last kLiveDays days.
QString rollupRowsSql(const QString &table, bool distinctHandoffs, bool liveOnly)
{
    const QString groupingSets = QStringLiteral(
        "GROUP BY GROUPING SETS ((account_id, day, name), (account_id, day, name, user_id), (account_id, day, name, inbox_id))");
    return QStringLiteral(
               "WITH e AS (SELECT * FROM (SELECT r.account_id, (r.created_at AT TIME ZONE 'UTC' AT TIME ZONE a.zone)::date AS "
               "day, "
               "r.name, r.user_id, r.inbox_id, r.conversation_id, r.value, r.value_in_business_hours AS bh "
               "FROM reporting_events r JOIN bench_accounts a ON a.account_id = r.account_id "
               "WHERE a.zone IS NOT NULL AND r.name = ANY(:names::text[]) %1) x WHERE x.day >= :first_day::date), "
               "g AS (SELECT account_id, day, name, GROUPING(user_id, inbox_id) AS s, user_id, inbox_id, count(*) AS n, "
               "coalesce(sum(value), 0) AS sv, coalesce(sum(bh), 0) AS sb FROM e WHERE name = ANY(:standard::text[]) %2 "
               "UNION ALL SELECT account_id, day, name, GROUPING(user_id, inbox_id), user_id, inbox_id, %3, 0, 0 "
               "FROM e WHERE name = ANY(:distinct::text[]) %2) "
               "INSERT INTO %4 (%5) "
               "SELECT g.account_id, g.day, d.type, CASE g.s WHEN 3 THEN g.account_id WHEN 1 THEN g.user_id ELSE g.inbox_id END, "
               "m.metric, g.n, CASE WHEN m.duration THEN g.sv ELSE 0 END, CASE WHEN m.duration THEN g.sb ELSE 0 END "
               "FROM g JOIN unnest(:events::text[], :metrics::text[], :durations::bool[]) AS m(event, metric, duration) "
               "ON m.event = g.name "
               "JOIN unnest(ARRAY[3, 1, 2], :types::text[]) AS d(s, type) ON d.s = g.s "
               "WHERE CASE g.s WHEN 3 THEN g.account_id WHEN 1 THEN g.user_id ELSE g.inbox_id END IS NOT NULL "
               "ORDER BY 1, 2, 3, 4, 5")
        .arg(liveOnly ? QStringLiteral("AND a.live") : QString(), groupingSets,
             distinctHandoffs ? QStringLiteral("count(DISTINCT conversation_id)") : QStringLiteral("count(*)"), table,
             rollupColumns());
}

QVariantMap rollupRowsValues(const QString &firstDay)
{
    QStringList events, metrics, durations;
    for (const MetricMapping &m : MetricRegistry::mappings()) {
        events << m.eventName;
        metrics << m.metric;
        durations << (m.payload == Payload::Duration ? QStringLiteral("t") : QStringLiteral("f"));
    }
    return {{QStringLiteral(":names"), pgArray(MetricRegistry::eventNames())},
            {QStringLiteral(":standard"), pgArray(MetricRegistry::standardEventNames())},
            {QStringLiteral(":distinct"), pgArray(MetricRegistry::distinctEventNames())},
            {QStringLiteral(":events"), pgArray(events)},
            {QStringLiteral(":metrics"), pgArray(metrics)},
            {QStringLiteral(":durations"), pgArray(durations)},
            {QStringLiteral(":types"), pgArray(MetricRegistry::dimensionTypes())}, // account, agent, inbox
            {QStringLiteral(":first_day"), firstDay}};
}

} // namespace

void checkpoint(Connection &c)
{
    try {
        c.runScript(QStringLiteral("CHECKPOINT"));
    } catch (const DbError &) {
        // needs superuser or pg_checkpoint; the bench server's user has it
    }
}

QString rollupColumns()
{
    return QStringLiteral("account_id, date, dimension_type, dimension_id, metric, count, sum_value, sum_value_business_hours");
}

const AccountPlan &Fleet::largest() const
{
    return *std::max_element(plans.begin(), plans.end(),
                             [](const AccountPlan &a, const AccountPlan &b) { return a.events < b.events; });
}

const AccountPlan &Fleet::medianUsable() const
{
    QList<const AccountPlan *> usable;
    for (const AccountPlan &p : plans)
        if (p.zone.usable())
            usable << &p;
    std::sort(usable.begin(), usable.end(), [](const AccountPlan *a, const AccountPlan *b) {
        return a->events != b->events ? a->events < b->events : a->id < b->id;
    });
    return *usable.at(usable.size() / 2);
}

qint64 Fleet::usableAccounts() const
{
    return std::count_if(plans.begin(), plans.end(), [](const AccountPlan &p) { return p.zone.usable(); });
}

Fleet planFleet(int accounts, qint64 events, QString *error)
{
    Fleet fleet;
    fleet.accounts = accounts;
    fleet.events = events;
    fleet.maxSize = std::min(kMaxSize, events / 4);
    const int n = accounts;
    // size(u) = 100 * (max/100)^(u^p), u = i/(n-1): the smallest account has 100 events, the
    // largest max; p (solved below) skews the rest so that the sizes add up to `events`.
    const double ratio = double(fleet.maxSize) / kMinSize;
    auto total = [&](double p) {
        double sum = 0;
        for (int i = 0; i < n; ++i)
            sum += kMinSize * std::pow(ratio, std::pow(double(i) / (n - 1), p));
        return sum;
    };
    double lo = std::log(1e-3), hi = std::log(1e4);
    if (ratio <= 1 || total(std::exp(hi)) > double(events) || total(std::exp(lo)) < double(events)) {
        *error = QStringLiteral("%1 events cannot be spread over %2 accounts from %3 to %4 events each")
                     .arg(events)
                     .arg(accounts)
                     .arg(kMinSize)
                     .arg(fleet.maxSize);
        return fleet;
    }
    for (int step = 0; step < 200; ++step) { // total() falls as p grows
        const double mid = (lo + hi) / 2;
        (total(std::exp(mid)) > double(events) ? lo : hi) = mid;
    }
    fleet.exponent = std::exp((lo + hi) / 2);
    std::vector<qint64> sizes(static_cast<size_t>(n));
    qint64 sum = 0;
    for (int i = 0; i < n; ++i) {
        sizes[size_t(i)] = std::llround(kMinSize * std::pow(ratio, std::pow(double(i) / (n - 1), fleet.exponent)));
        sum += sizes[size_t(i)];
    }
    sizes[size_t(n - 2)] += events - sum; // rounding: at most n/2 events, on the second largest
    if (sizes[size_t(n - 2)] < kMinSize) {
        *error = QStringLiteral("too few events (%1) for %2 accounts").arg(events).arg(accounts);
        return fleet;
    }

    std::mt19937_64 rng(kSeed);
    std::shuffle(sizes.begin(), sizes.end(), rng);
    std::vector<int> weights;
    for (const SettingsChoice &s : kSettings)
        weights.push_back(s.weight);
    std::discrete_distribution<int> pickSettings(weights.begin(), weights.end());
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const qint64 largestSize = *std::max_element(sizes.begin(), sizes.end());
    bool largestSeen = false;
    qint64 conversationBase = 1;
    for (int i = 0; i < n; ++i) {
        AccountPlan p;
        p.id = i + 1;
        p.events = sizes[size_t(i)];
        const bool largest = !largestSeen && p.events == largestSize;
        largestSeen = largestSeen || largest;
        const SettingsChoice &choice = kSettings[pickSettings(rng)];
        QString json = largest ? QLatin1String(kLargestSettings) : choice.json ? QLatin1String(choice.json) : QString();
        if (!json.isEmpty() && rng() % 3 == 0) { // other keys beside the zone, as real accounts have
            QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
            o.insert(QStringLiteral("auto_resolve_after"), 1440);
            o.insert(QStringLiteral("audio_transcriptions"), true);
            json = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        }
        p.settingsJson = json;
        p.storedLabel = storedLabel(json);
        p.zone = ZoneResolver::resolve(
            json.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                           : QJsonDocument::fromJson(json.toUtf8()).object().value(QStringLiteral("reporting_timezone")));
        // Accounts sign up over time: 40% start within the first 80% of the span.
        const bool late = unit(rng) < 0.4;
        const double start = unit(rng) * 0.8;
        p.firstMicros = (late && !largest) ? qint64(start * double(kSpanMicros)) : 0;
        p.agents = int(std::min<qint64>(999, 1 + qint64(std::sqrt(double(p.events)) / 8)));
        p.inboxes = int(std::min<qint64>(99, 1 + qint64(std::cbrt(double(p.events)) / 3)));
        p.conversationBase = conversationBase;
        conversationBase += p.events / 4 + 1;
        p.live = p.zone.usable() && (largest || unit(rng) < 0.2);
        fleet.plans << p;
    }
    return fleet;
}

void printFleet(QTextStream &out, const Fleet &fleet)
{
    std::vector<qint64> sizes;
    for (const AccountPlan &p : fleet.plans)
        sizes.push_back(p.events);
    std::sort(sizes.begin(), sizes.end());
    auto at = [&](double q) { return sizes[std::min(sizes.size() - 1, size_t(q * double(sizes.size())))]; };
    qint64 total = 0;
    for (qint64 s : sizes)
        total += s;
    out << "distribution: " << fleet.accounts << " accounts, events per account min " << sizes.front() << ", median " << at(0.5)
        << ", p90 " << at(0.9) << ", p99 " << at(0.99) << ", max " << sizes.back() << ", total " << total << " (size = 100 * "
        << fleet.maxSize / kMinSize << "^(u^p), p = " << QString::number(fleet.exponent, 'f', 3) << ")" << Qt::endl;
    const AccountPlan &largest = fleet.largest();
    const AccountPlan &median = fleet.medianUsable();
    out << "accounts: largest " << largest.id << " (" << largest.events << " events, " << largest.storedLabel << "), median "
        << median.id << " (" << median.events << " events, " << median.storedLabel << "); " << fleet.usableAccounts()
        << " with a usable zone; "
        << std::count_if(fleet.plans.begin(), fleet.plans.end(), [](const AccountPlan &p) { return p.live; })
        << " with live-path rows (last " << kLiveDays << " days)" << Qt::endl;
    struct Group
    {
        QString state;
        QString resolved;
        qint64 accounts = 0;
        qint64 events = 0;
    };
    QMap<QString, Group> groups;
    QSet<QString> zones;
    for (const AccountPlan &p : fleet.plans) {
        Group &g = groups[p.storedLabel];
        g.state = p.zone.stateName();
        g.resolved = p.zone.usable() ? p.zone.ianaId : p.zone.reason.left(40);
        ++g.accounts;
        g.events += p.events;
        if (p.zone.usable())
            zones.insert(p.zone.ianaId);
    }
    out << "zones: " << groups.size() << " stored values, " << zones.size() << " distinct usable zones" << Qt::endl;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        out << "  " << it.key().leftJustified(30) << " " << it->state.leftJustified(8) << " " << it->resolved.leftJustified(40)
            << " accounts " << QString::number(it->accounts).rightJustified(6) << "  events "
            << QString::number(it->events).rightJustified(10) << Qt::endl;
}

void generate(Connection &c, const Fleet &fleet, const std::function<void(const QString &)> &progress)
{
    Schema::create(c);
    c.runScript(QStringLiteral(
        "CREATE TABLE bench_scale_parameters (name text PRIMARY KEY, value text NOT NULL); "
        "CREATE TABLE bench_accounts (account_id integer PRIMARY KEY, events bigint NOT NULL, first_us bigint NOT NULL, "
        "agents integer NOT NULL, inboxes integer NOT NULL, conversation_base bigint NOT NULL, zone text, live boolean NOT "
        "NULL); "
        "CREATE TABLE bench_fleet_rows (account_id integer, date date, dimension_type varchar, dimension_id bigint, "
        "metric varchar, count bigint, sum_value double precision, sum_value_business_hours double precision); "
        "CREATE TABLE bench_live_rollups (LIKE bench_fleet_rows); "
        // (d)'s target: an empty copy with the same indexes; no autovacuum worker of its own runs
        // during the next timing
        "CREATE TABLE rollups_write_floor (LIKE reporting_events_rollups INCLUDING ALL); "
        "ALTER TABLE rollups_write_floor SET (autovacuum_enabled = false)"));

    QJsonArray rows;
    for (const AccountPlan &p : fleet.plans) {
        QJsonObject o{{QStringLiteral("id"), p.id},
                      {QStringLiteral("name"), QStringLiteral("Account %1").arg(p.id)},
                      {QStringLiteral("events"), p.events},
                      {QStringLiteral("first_us"), p.firstMicros},
                      {QStringLiteral("agents"), p.agents},
                      {QStringLiteral("inboxes"), p.inboxes},
                      {QStringLiteral("conversation_base"), p.conversationBase},
                      {QStringLiteral("live"), p.live}};
        o.insert(QStringLiteral("settings"), p.settingsJson.isEmpty()
                                                 ? QJsonValue(QJsonValue::Null)
                                                 : QJsonDocument::fromJson(p.settingsJson.toUtf8()).object());
        o.insert(QStringLiteral("zone"), p.zone.usable() ? QJsonValue(p.zone.ianaId) : QJsonValue(QJsonValue::Null));
        rows.append(o);
    }
    const QString json = QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
    const QString recordset = QStringLiteral("jsonb_to_recordset(?::jsonb) AS x(id integer, name text, settings jsonb, events "
                                             "bigint, first_us bigint, agents integer, "
                                             "inboxes integer, conversation_base bigint, zone text, live boolean)");
    // A JSON null settings becomes SQL NULL (jsonb_to_recordset), as Chatwoot's nullable column allows.
    c.run(QStringLiteral(
              "INSERT INTO accounts (id, name, created_at, updated_at, settings) "
              "SELECT x.id, x.name, ?::timestamp + x.first_us * interval '1 microsecond' - interval '1 day', "
              "?::timestamp + x.first_us * interval '1 microsecond' - interval '1 day', x.settings FROM %1 ORDER BY x.id")
              .arg(recordset),
          {QLatin1String(kSpanStart), QLatin1String(kSpanStart), json}, QStringLiteral("inserting accounts"));
    c.run(
        QStringLiteral("INSERT INTO bench_accounts SELECT x.id, x.events, x.first_us, x.agents, x.inboxes, x.conversation_base, "
                       "x.zone, x.live FROM %1")
            .arg(recordset),
        {json}, QStringLiteral("inserting account parameters"));
    c.runScript(
        QStringLiteral("SELECT setval('accounts_id_seq', (SELECT max(id) FROM accounts)); ANALYZE accounts, bench_accounts"));
    {
        QSqlQuery q = c.run(QStringLiteral("SELECT zone FROM bench_accounts WHERE zone IS NOT NULL "
                                           "AND zone NOT IN (SELECT name FROM pg_timezone_names) LIMIT 1"));
        if (q.next())
            throw DbError(QStringLiteral("the server does not know the time zone %1").arg(q.value(0).toString()));
    }

    // Bulk load without the secondary indexes, then rebuild them from their own definitions.
    QStringList indexNames, indexDefs;
    {
        QSqlQuery q = c.run(QStringLiteral(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'reporting_events' "
            "AND indexname <> 'reporting_events_pkey' ORDER BY indexname"));
        while (q.next()) {
            indexNames << q.value(0).toString();
            indexDefs << q.value(1).toString();
        }
    }
    for (const QString &name : indexNames)
        c.runScript(QStringLiteral("DROP INDEX %1").arg(name)); // catalog names

    QStringList weighted;
    for (const QString &name : MetricRegistry::eventNames()) {
        if (!kNameWeights.contains(name))
            throw DbError(QStringLiteral("no generator weight for the event name %1").arg(name));
        for (int i = 0; i < kNameWeights.value(name); ++i)
            weighted << name;
    }
    if (weighted.size() != 100)
        throw DbError(QStringLiteral("generator name weights do not add up to 100"));
    QStringList other;
    for (const char *name : kOtherNames)
        other << QLatin1String(name);
    const qint64 batches = std::max<qint64>(1, (fleet.events + kEventsPerBatch - 1) / kEventsPerBatch);
    const QString sql = batchSql();
    qint64 inserted = 0;
    for (qint64 b = 0; b < batches; ++b) {
        const qint64 lo = qint64(double(kSpanMicros) * double(b) / double(batches));
        const qint64 hi = b + 1 == batches ? kSpanMicros : qint64(double(kSpanMicros) * double(b + 1) / double(batches));
        QSqlQuery q = c.runNamed(sql,
                                 {{QStringLiteral(":span"), kSpanMicros},
                                  {QStringLiteral(":lo"), lo},
                                  {QStringLiteral(":hi"), hi},
                                  {QStringLiteral(":t0"), QLatin1String(kSpanStart)},
                                  {QStringLiteral(":other"), pgArray(other)},
                                  {QStringLiteral(":weighted"), pgArray(weighted)}},
                                 QStringLiteral("generating events"));
        inserted += q.numRowsAffected();
        if ((b + 1) % std::max<qint64>(1, batches / 10) == 0 || b + 1 == batches)
            progress(QStringLiteral("events: batch %1/%2, %3 rows").arg(b + 1).arg(batches).arg(inserted));
    }
    if (inserted != fleet.events)
        throw DbError(QStringLiteral("generated %1 events, expected %2").arg(inserted).arg(fleet.events));

    c.runScript(QStringLiteral("SET maintenance_work_mem = '512MB'"));
    for (const QString &def : indexDefs)
        c.runScript(def, QStringLiteral("building an index"));
    progress(QStringLiteral("indexes built"));
    c.runScript(QStringLiteral("VACUUM (ANALYZE) reporting_events"));
    progress(QStringLiteral("VACUUM ANALYZE done"));

    // The rows a full fleet backfill writes (all history, every account with a usable zone), and
    // the live path's rows of the live accounts' last days (handoffs counted per event).
    c.runScript(QStringLiteral("SET work_mem = '256MB'"));
    const QString liveFirstDay
        = QDate::fromString(QString::fromLatin1(kSpanEnd, 10), Qt::ISODate).addDays(-kLiveDays).toString(Qt::ISODate);
    c.runNamed(rollupRowsSql(QStringLiteral("bench_fleet_rows"), true, false), rollupRowsValues(QStringLiteral("1900-01-01")),
               QStringLiteral("computing the full-fleet rollup rows"));
    c.runNamed(rollupRowsSql(QStringLiteral("bench_live_rollups"), false, true), rollupRowsValues(liveFirstDay),
               QStringLiteral("computing the live-path rollup rows"));
    c.runScript(QStringLiteral("RESET work_mem; ANALYZE bench_fleet_rows, bench_live_rollups"));
    ensureRollupState(c, RollupState::Live);
    progress(QStringLiteral("rollup rows computed"));
    checkpoint(c);

    // Last: a database without these rows is never taken for a complete one.
    setParameter(c, QStringLiteral("generator"), QLatin1String(kGeneratorVersion));
    setParameter(c, QStringLiteral("accounts"), QString::number(fleet.accounts));
    setParameter(c, QStringLiteral("events"), QString::number(fleet.events));
    setParameter(c, QStringLiteral("span"), QStringLiteral("%1 .. %2").arg(QLatin1String(kSpanStart), QLatin1String(kSpanEnd)));
}

bool matchesParameters(Connection &c, int accounts, qint64 events)
{
    QSqlQuery q = c.run(QStringLiteral("SELECT to_regclass('bench_scale_parameters') IS NOT NULL"));
    if (!q.next() || !q.value(0).toBool())
        return false;
    return parameter(c, QStringLiteral("generator")) == QLatin1String(kGeneratorVersion)
           && parameter(c, QStringLiteral("accounts")) == QString::number(accounts)
           && parameter(c, QStringLiteral("events")) == QString::number(events);
}

QString parameter(Connection &c, const QString &name)
{
    QSqlQuery q = c.run(QStringLiteral("SELECT value FROM bench_scale_parameters WHERE name = ?"), {name});
    return q.next() ? q.value(0).toString() : QString();
}

void setParameter(Connection &c, const QString &name, const QString &value)
{
    c.run(QStringLiteral("INSERT INTO bench_scale_parameters (name, value) VALUES (?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
          {name, value});
}

void forgetRollupState(Connection &c)
{
    setParameter(c, QStringLiteral("rollups"), QStringLiteral("unknown"));
}

void rememberRollupState(Connection &c, RollupState state)
{
    setParameter(c, QStringLiteral("rollups"), state == RollupState::Live ? QStringLiteral("live") : QStringLiteral("full"));
}

void ensureRollupState(Connection &c, RollupState state)
{
    const QString wanted = state == RollupState::Live ? QStringLiteral("live") : QStringLiteral("full");
    if (parameter(c, QStringLiteral("rollups")) == wanted)
        return;
    forgetRollupState(c);
    c.begin();
    try {
        c.runScript(QStringLiteral("TRUNCATE reporting_events_rollups"));
        c.run(QStringLiteral(
                  "INSERT INTO reporting_events_rollups (%1, created_at, updated_at) SELECT %1, ?::timestamp, ?::timestamp "
                  "FROM %2 ORDER BY account_id, date, dimension_type, dimension_id, metric")
                  .arg(rollupColumns(),
                       state == RollupState::Live ? QStringLiteral("bench_live_rollups") : QStringLiteral("bench_fleet_rows")),
              {QLatin1String(kSpanEnd), QLatin1String(kSpanEnd)}, QStringLiteral("restoring the rollups"));
        c.commit();
    } catch (...) {
        c.rollback();
        throw;
    }
    settleRollups(c);
    rememberRollupState(c, state);
}

void settleRollups(Connection &c)
{
    c.runScript(QStringLiteral("VACUUM (ANALYZE) reporting_events_rollups"));
    checkpoint(c);
}

} // namespace rollup::scale
