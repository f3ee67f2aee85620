#include "jobs/verifyjob.h"

#include "core/healthstore.h"
#include "core/historyjournal.h"
#include "core/localdate.h"
#include "db/accountrepository.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/eventrepository.h"
#include "db/featureflags.h"
#include "db/serverstatus.h"
#include "jobs/connectioncheck.h"

#include <QCoreApplication>
#include <QPromise>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace rollup {

namespace {

// 240,000 rows otherwise hold 480,000 copies of a handful of strings.
void shareStrings(QList<CompareRow> &rows)
{
    QHash<QString, QString> pool;
    auto shared = [&pool](QString &s) {
        auto it = pool.constFind(s);
        if (it == pool.constEnd())
            it = pool.insert(s, s);
        s = it.value();
    };
    for (CompareRow &r : rows) {
        shared(r.dimensionType);
        shared(r.metric);
    }
}

QHash<qint64, QString> toHash(const QMap<qint64, QString> &map)
{
    QHash<qint64, QString> out;
    out.reserve(map.size());
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

} // namespace

bool VerifyOutcome::wholeHistory() const
{
    return request.range.from.isEmpty() && request.range.to.isEmpty() && !request.range.includeToday;
}

QList<date::local_days> VerifyOutcome::differingDays() const
{
    QList<date::local_days> out;
    for (const VerifyDay &d : days)
        if (d.differs())
            out.append(d.day);
    return out;
}

QList<VerifyDay> VerifyJob::summarizeDays(const QList<DayWindow> &windows, const QList<CompareRow> &rows)
{
    QList<VerifyDay> days;
    days.reserve(windows.size());
    QHash<int, qsizetype> index;
    for (const DayWindow &w : windows) {
        index.insert(int(w.day.time_since_epoch().count()), days.size());
        VerifyDay d;
        d.day = w.day;
        days.append(d);
    }
    for (const CompareRow &r : rows) {
        const auto it = index.constFind(int(r.date.time_since_epoch().count()));
        if (it == index.constEnd())
            continue;
        VerifyDay &d = days[it.value()];
        ++d.keys;
        switch (r.status) {
        case CompareStatus::Match:
            ++d.matches;
            break;
        case CompareStatus::Mismatch:
            ++d.mismatches;
            break;
        case CompareStatus::Missing:
            ++d.missing;
            break;
        case CompareStatus::Extra:
            ++d.extra;
            break;
        }
        if (Comparison::severity(r.status) > Comparison::severity(d.worst))
            d.worst = r.status;
    }
    return days;
}

namespace {

// The health board remembers each account's last verify (a file that cannot be written only
// costs the board that line).
void recordHealth(const ConnectionSettings &settings, const VerifyOutcome &o, SysSeconds now)
{
    AccountHealth h;
    h.accountId = o.request.accountId;
    h.checkedAt = QDateTime::fromSecsSinceEpoch(now.time_since_epoch().count(), Qt::UTC);
    h.summary = o.result.summary;
    h.firstDay = toQDate(o.result.plan.range.from).toString(Qt::ISODate);
    h.lastDay = toQDate(o.result.plan.range.to).toString(Qt::ISODate);
    h.wholeHistory = o.wholeHistory();
    QString error;
    if (!HealthStore(HealthStore::defaultPath(settings)).record({h}, &error))
        qWarning("health board: %s", qPrintable(error));
}

} // namespace

VerifyOutcome VerifyJob::run(const JobContext &context, const VerifyRequest &request, SysSeconds now)
{
    VerifyOutcome o;
    o.request = request;
    try {
        context.setProgressRange(0, kSteps);
        context.setProgress(0, tr("Connecting…"));
        const JobContext reads = context.forReads();
        const std::unique_ptr<Connection> connection = reads.connect();
        o.readFrom = connection->settings().toDisplayString();
        if (context.settings().hasReplica() && !context.isCancelled()) {
            const std::unique_ptr<Connection> primary = context.connect();
            o.replicaLag = ConnectionCheck::checkReplica(*primary, *connection);
        }
        if (context.isCancelled()) {
            o.cancelled = true;
            return o;
        }
        o.featureFlags = FeatureFlags(*connection).read(request.accountId);
        context.setProgress(1, tr("Comparing rollups with raw events…"));
        o.result = VerifyEngine::run(reads, *connection, request, now);
        if (o.replicaLag && !o.result.plan.empty() && o.result.plan.zone.usable())
            o.lagWarning = o.replicaLag->warningFor(o.result.plan.range.to, DayWindows::today(o.result.plan.zone.zone, now));
        if (context.isCancelled()) {
            o.cancelled = true;
            return o;
        }
        context.setProgress(2, tr("Reading agent and inbox names…"));
        shareStrings(o.result.rows);
        QSet<qint64> agents, inboxes;
        for (const CompareRow &r : std::as_const(o.result.rows)) {
            if (r.dimensionType == QLatin1String("agent"))
                agents.insert(r.dimensionId);
            else if (r.dimensionType == QLatin1String("inbox"))
                inboxes.insert(r.dimensionId);
        }
        AccountRepository accounts(*connection);
        if (!agents.isEmpty())
            o.agentNames = toHash(accounts.userNames(agents.values()));
        if (!inboxes.isEmpty())
            o.inboxNames = toHash(accounts.inboxNames(inboxes.values()));
        context.setProgress(3, tr("Summarizing days…"));
        o.days = summarizeDays(o.result.plan.windows, o.result.rows);
        recordHealth(context.settings(), o, now);
        context.setProgress(kSteps, tr("Done"));
    } catch (const PlanError &e) {
        o.error = e.message();
    } catch (const DbError &e) {
        if (context.isCancelled())
            o.cancelled = true;
        else
            o.error = e.message();
    }
    if (o.cancelled) {
        o.error.clear();
        o.result = VerifyResult{};
        o.days.clear();
    }
    return o;
}

Job<VerifyOutcome> VerifyJob::start(const ConnectionSettings &settings, const VerifyRequest &request, SysSeconds now)
{
    return Jobs::start<VerifyOutcome>(settings, [request, now](JobContext &context) { return run(context, request, now); });
}

Job<RawEventsLoad> VerifyJob::loadEvents(const ConnectionSettings &settings, qint64 accountId, const DayWindow &window,
                                         const QString &dimensionType, qint64 dimensionId, const QString &metric)
{
    RawEventsLoad load;
    load.accountId = accountId;
    load.window = window;
    load.dimensionType = dimensionType;
    load.dimensionId = dimensionId;
    load.metric = metric;
    return Jobs::start<RawEventsLoad>(settings, [load](JobContext &context) mutable {
        try {
            const std::unique_ptr<Connection> connection = context.forReads().connect(); // where verify read
            if (!context.isCancelled()) {
                load.events = EventRepository(*connection)
                                  .eventsOfKey(load.accountId, load.window, load.dimensionType, load.dimensionId, load.metric);
                load.truncated = load.events.size() >= EventRepository::kRowLimit;
            }
        } catch (const DbError &e) {
            load.error = e.message();
        }
        if (context.isCancelled()) {
            load.cancelled = true;
            load.error.clear();
        }
        return load;
    });
}

bool VerifyJob::readPathEligible(const VerifyOutcome &evidence, QString *reason)
{
    auto refuse = [reason](const QString &why) {
        if (reason)
            *reason = why;
        return false;
    };
    if (evidence.request.accountId <= 0 || !evidence.ok())
        return refuse(tr("no completed verify of this account"));
    if (!evidence.wholeHistory())
        return refuse(tr("the last verify covered a chosen range, not the account's whole history"));
    if (evidence.result.plan.empty())
        return refuse(tr("the last verify had no days to compare"));
    if (!evidence.result.summary.clean())
        return refuse(tr("the last verify found %Ln difference(s)", nullptr,
                         int(evidence.result.summary.keys - evidence.result.summary.matches)));
    if (const OutsideRows &outside = evidence.result.outside; outside.rows > 0)
        return refuse(tr("%n stored row(s) lie outside the account's event days (%1 .. %2); a backfill of those days clears them",
                         nullptr, int(outside.rows))
                          .arg(formatLocalDate(*outside.first), formatLocalDate(*outside.last)));
    if (reason)
        reason->clear();
    return true;
}

Job<ReadPathChange> VerifyJob::enableReadPath(const ConnectionSettings &settings, const VerifyOutcome &evidence, int bit)
{
    ReadPathChange change;
    change.accountId = evidence.request.accountId;
    change.bit = bit;
    QString reason;
    const bool eligible = readPathEligible(evidence, &reason);
    if (!eligible)
        change.refusal = reason;
    return Jobs::start<ReadPathChange>(settings, [change, eligible](JobContext &context) mutable {
        if (!eligible)
            return change;
        try {
            const std::unique_ptr<Connection> connection = context.connect();
            ServerStatus::requirePrimary(*connection);
            qint64 before = 0;
            change.after = FeatureFlags(*connection)
                               .enable(change.accountId, change.bit, QStringLiteral("report_rollup"), &before, &change.change);
            if (change.after)
                change.before = before;
            else
                change.error = tr("account %1 not found").arg(change.accountId);
        } catch (const DbError &e) {
            change.error = e.message();
        }
        HistoryRecord r
            = HistoryJournal::newRecord(context.settings(), QLatin1String(HistoryJournal::kEnableReadPath), change.accountId);
        r.summary = change.change.comment.isEmpty() ? QStringLiteral("report_rollup on (feature_flags bit %1)").arg(change.bit)
                                                    : change.change.comment;
        r.outcome = !change.error.isEmpty() ? QStringLiteral("failed")
                    : change.change.changed ? QStringLiteral("done")
                                            : QStringLiteral("unchanged");
        r.wrote = change.error.isEmpty() && change.change.changed;
        r.details.insert(QStringLiteral("bit"), change.bit);
        if (change.before)
            r.details.insert(QStringLiteral("old"), *change.before);
        if (change.after)
            r.details.insert(QStringLiteral("new"), *change.after);
        if (change.change.auditVersion > 0) {
            r.details.insert(QStringLiteral("audit_version"), change.change.auditVersion);
            r.details.insert(QStringLiteral("audit_request_uuid"), change.change.requestUuid);
        }
        if (!change.error.isEmpty())
            r.details.insert(QStringLiteral("error"), change.error);
        HistoryJournal::forDatabase(context.settings()).append(r, &change.historyError);
        return change;
    });
}

} // namespace rollup
