#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

namespace date {
class time_zone;
}

namespace rollup {

// What an account's stored reporting_timezone means, decided exactly like ActiveSupport's
// TimeZone[] (docs/rollups.md §4.1): a Rails 7.1 friendly name maps to its IANA id,
// otherwise the string must be a case-sensitive TZInfo identifier. Blank means "rollups off".
struct ZoneResolution
{
    Q_DECLARE_TR_FUNCTIONS(ZoneResolution)

public:
    enum class State { NotSet, IanaId, RailsName, Invalid };

    State state = State::NotSet;
    QString stored; // the stored value as text (JSON text when it is not a string)
    QString ianaId; // resolved zone id when usable
    QString reason; // why it is invalid / not set
    const date::time_zone *zone = nullptr; // owned by the process-wide tz database

    bool usable() const { return zone != nullptr; }
    QString stateName() const; // "iana", "rails", "not set", "invalid"
    QString describe() const; // one line for tables and errors
};

// Thread-safe: the tz database and the mapping are immutable after first use.
class ZoneResolver
{
    Q_DECLARE_TR_FUNCTIONS(ZoneResolver)

public:
    // `value` is settings->'reporting_timezone' as JSON (undefined when the key is absent).
    static ZoneResolution resolve(const QJsonValue &value);
    static ZoneResolution resolveName(const QString &name);
    // Rails friendly name -> IANA id (ActiveSupport 7.1 MAPPING, from resources/data).
    static const QMap<QString, QString> &railsMapping();
    // Rails friendly names that map to `ianaId`.
    static QStringList railsNamesFor(const QString &ianaId);
    // All identifiers TZInfo would accept from this machine's tz database, sorted.
    static const QStringList &zoneIds();
    // Reads this machine's tz database and the mapping now (tens of ms: a walk of the zoneinfo
    // tree), so a thread can do it while another waits for the server.
    static void preload();
};

} // namespace rollup
