#include "jobs/fleetjournal.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <unistd.h>

namespace rollup {

namespace {

const char *modeName(FleetMode mode)
{
    return mode == FleetMode::Verify ? "verify" : "backfill";
}

QJsonArray dayArray(const QList<date::local_days> &days)
{
    QJsonArray out;
    for (date::local_days d : days)
        out.append(formatLocalDate(d));
    return out;
}

QList<date::local_days> daysOf(const QJsonValue &value)
{
    QList<date::local_days> out;
    for (const QJsonValue &v : value.toArray())
        if (const auto d = parseLocalDate(v.toString()))
            out.append(*d);
    return out;
}

std::optional<FleetStatus> statusFromName(const QString &name)
{
    for (FleetStatus s : {FleetStatus::Match, FleetStatus::Differs, FleetStatus::Done, FleetStatus::Skipped, FleetStatus::Locked,
                          FleetStatus::Failed})
        if (FleetRunner::statusName(s) == name)
            return s;
    return std::nullopt;
}

} // namespace

QJsonObject FleetJournal::toJson(const FleetAccount &a)
{
    QJsonObject o{{QStringLiteral("account_id"), a.accountId},
                  {QStringLiteral("name"), a.name},
                  {QStringLiteral("status"), FleetRunner::statusName(a.status)},
                  {QStringLiteral("note"), a.note},
                  {QStringLiteral("events"), a.events},
                  {QStringLiteral("days"), a.days},
                  {QStringLiteral("keys"), a.summary.keys},
                  {QStringLiteral("match"), a.summary.matches},
                  {QStringLiteral("mismatch"), a.summary.mismatches},
                  {QStringLiteral("missing"), a.summary.missing},
                  {QStringLiteral("extra"), a.summary.extra},
                  {QStringLiteral("differing_days"), dayArray(a.differingDays)},
                  {QStringLiteral("days_done"), a.daysDone},
                  {QStringLiteral("rows_written"), a.rowsWritten},
                  {QStringLiteral("events_read"), a.eventsRead},
                  {QStringLiteral("live_touched_days"), dayArray(a.liveTouchedDays)}};
    if (a.range) {
        o.insert(QStringLiteral("first_day"), formatLocalDate(a.range->from));
        o.insert(QStringLiteral("last_day"), formatLocalDate(a.range->to));
    }
    return o;
}

std::optional<FleetAccount> FleetJournal::fromJson(const QJsonObject &o)
{
    const std::optional<FleetStatus> status = statusFromName(o.value(QStringLiteral("status")).toString());
    const qint64 id = o.value(QStringLiteral("account_id")).toInteger();
    if (!status || id <= 0)
        return std::nullopt;
    FleetAccount a;
    a.accountId = id;
    a.name = o.value(QStringLiteral("name")).toString();
    a.status = *status;
    a.note = o.value(QStringLiteral("note")).toString();
    a.events = o.value(QStringLiteral("events")).toInteger();
    a.days = o.value(QStringLiteral("days")).toInt();
    a.summary.keys = o.value(QStringLiteral("keys")).toInteger();
    a.summary.matches = o.value(QStringLiteral("match")).toInteger();
    a.summary.mismatches = o.value(QStringLiteral("mismatch")).toInteger();
    a.summary.missing = o.value(QStringLiteral("missing")).toInteger();
    a.summary.extra = o.value(QStringLiteral("extra")).toInteger();
    a.differingDays = daysOf(o.value(QStringLiteral("differing_days")));
    a.summary.daysWithDifferences = a.differingDays.size();
    a.daysDone = o.value(QStringLiteral("days_done")).toInt();
    a.rowsWritten = o.value(QStringLiteral("rows_written")).toInteger();
    a.eventsRead = o.value(QStringLiteral("events_read")).toInteger();
    a.liveTouchedDays = daysOf(o.value(QStringLiteral("live_touched_days")));
    const auto first = parseLocalDate(o.value(QStringLiteral("first_day")).toString());
    const auto last = parseLocalDate(o.value(QStringLiteral("last_day")).toString());
    if (first && last)
        a.range = DateRange{*first, *last};
    return a;
}

bool FleetJournal::open(const QString &path, FleetMode mode, bool resume, QString *error)
{
    m_finished.clear();
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_file.setFileName(path);
    if (resume && m_file.exists()) {
        if (!m_file.open(QIODevice::ReadOnly)) {
            *error = tr("cannot read the journal %1: %2").arg(path, m_file.errorString());
            return false;
        }
        bool first = true;
        while (!m_file.atEnd()) {
            const QJsonObject o = QJsonDocument::fromJson(m_file.readLine()).object();
            if (first) {
                first = false;
                if (o.value(QStringLiteral("mode")).toString() != QLatin1String(modeName(mode))) {
                    *error = tr("the journal %1 is not one of a fleet %2").arg(path, QLatin1String(modeName(mode)));
                    m_file.close();
                    return false;
                }
                continue;
            }
            if (const std::optional<FleetAccount> a = fromJson(o))
                m_finished.insert(a->accountId, *a);
        }
        m_file.close();
        if (!m_file.open(QIODevice::Append)) {
            *error = tr("cannot write the journal %1: %2").arg(path, m_file.errorString());
            return false;
        }
        // A line cut short by a crash must not swallow the next one.
        m_file.write("\n");
        return m_file.flush();
    }
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = tr("cannot write the journal %1: %2").arg(path, m_file.errorString());
        return false;
    }
    const QJsonObject header{{QStringLiteral("mode"), QLatin1String(modeName(mode))},
                             {QStringLiteral("started"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    m_file.write(QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n');
    if (!m_file.flush() || ::fsync(m_file.handle()) != 0) {
        *error = tr("cannot write the journal %1").arg(path);
        return false;
    }
    return true;
}

bool FleetJournal::append(const QList<FleetAccount> &accounts, QString *error)
{
    if (accounts.isEmpty())
        return true;
    for (const FleetAccount &a : accounts)
        m_file.write(QJsonDocument(toJson(a)).toJson(QJsonDocument::Compact) + '\n');
    if (!m_file.flush() || ::fsync(m_file.handle()) != 0) {
        *error = tr("cannot write the journal %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    for (const FleetAccount &a : accounts)
        m_finished.insert(a.accountId, a);
    return true;
}

} // namespace rollup
