#include "core/zonecatalogue.h"

#include "core/zoneresolver.h"

#include <QRegularExpression>

#include <date/tz.h>

namespace rollup {

ZoneEntry ZoneCatalogue::entry(const QString &id, SysSeconds at)
{
    ZoneEntry e;
    e.id = id;
    const date::time_zone *zone = date::locate_zone(id.toStdString());
    const date::sys_info info = zone->get_info(at);
    e.offsetSeconds = int(info.offset.count());
    e.abbreviation = QString::fromStdString(info.abbrev);
    e.dst = info.save != std::chrono::minutes{0};
    e.standardOffsetSeconds = e.offsetSeconds;
    if (e.dst) {
        // The OS database records only "is DST"; take the offset of the nearest standard period.
        date::sys_info other = zone->get_info(info.end);
        if (other.save != std::chrono::minutes{0})
            other = zone->get_info(info.begin - std::chrono::seconds{1});
        if (other.save == std::chrono::minutes{0})
            e.standardOffsetSeconds = int(other.offset.count());
    }
    if (info.end < date::sys_seconds::max() && info.end.time_since_epoch() < std::chrono::hours{24 * 365 * 200})
        e.nextTransition = info.end;
    e.railsNames = ZoneResolver::railsNamesFor(id);
    return e;
}

QList<ZoneEntry> ZoneCatalogue::entries(SysSeconds at)
{
    QList<ZoneEntry> out;
    const QStringList &ids = ZoneResolver::zoneIds();
    out.reserve(ids.size());
    for (const QString &id : ids)
        out.append(entry(id, at));
    return out;
}

std::optional<int> ZoneCatalogue::parseOffset(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(?:UTC|GMT)?\\s*([+-\\x{2212}])?\\s*(\\d{1,2})(?::?(\\d{2}))?\\s*$"),
                                       QRegularExpression::CaseInsensitiveOption);
    // Offsets are short; bounding the input keeps the match linear whatever is typed or pasted.
    const QString trimmed = text.trimmed();
    if (trimmed.size() > 16)
        return std::nullopt;
    const QRegularExpressionMatch m = re.match(trimmed);
    if (!m.hasMatch())
        return std::nullopt;
    const QString sign = m.captured(1);
    const int hours = m.captured(2).toInt();
    const int minutes = m.captured(3).isEmpty() ? 0 : m.captured(3).toInt();
    if (hours > 14 || minutes > 59)
        return std::nullopt;
    const int secs = hours * 3600 + minutes * 60;
    return (sign == QStringLiteral("-") || sign == QString(QChar(0x2212))) ? -secs : secs;
}

QString ZoneCatalogue::formatOffset(int seconds)
{
    const QChar sign = seconds < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int a = seconds < 0 ? -seconds : seconds;
    return QStringLiteral("%1%2:%3")
        .arg(sign)
        .arg(a / 3600, 2, 10, QLatin1Char('0'))
        .arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QList<ZoneEntry> ZoneCatalogue::matchingOffset(const QList<ZoneEntry> &all, int seconds)
{
    QList<ZoneEntry> out;
    for (const ZoneEntry &e : all)
        if (e.offsetSeconds == seconds || e.standardOffsetSeconds == seconds)
            out.append(e);
    return out;
}

} // namespace rollup
