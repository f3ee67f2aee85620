#pragma once

#include "core/localdate.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rollup {

// One IANA zone as the timezone picker shows it, at a given instant.
struct ZoneEntry
{
    QString id;
    int offsetSeconds = 0; // UTC offset in effect at the instant
    int standardOffsetSeconds = 0; // offset without DST
    QString abbreviation;
    bool dst = false;
    std::optional<SysSeconds> nextTransition;
    QStringList railsNames;
};

// Pure and thread-safe.
class ZoneCatalogue
{
public:
    static QList<ZoneEntry> entries(SysSeconds at);
    static ZoneEntry entry(const QString &id, SysSeconds at);
    // "+5:30", "-3", "0", "+05:45", "UTC+2", "-0330" -> seconds; nullopt when not an offset.
    static std::optional<int> parseOffset(const QString &text);
    // "+05:30"
    static QString formatOffset(int seconds);
    // Entries whose current or standard offset equals `seconds`.
    static QList<ZoneEntry> matchingOffset(const QList<ZoneEntry> &all, int seconds);
};

} // namespace rollup
