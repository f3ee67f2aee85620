#include "core/zoneresolver.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <date/tz.h>

#include <algorithm>
#include <set>

namespace rollup {

namespace {

// Files in the OS zoneinfo tree that are not TZInfo identifiers.
bool isTzinfoIdentifier(const std::string &name)
{
    if (name.empty() || name.rfind("posix/", 0) == 0 || name.rfind("right/", 0) == 0)
        return false;
    static const std::set<std::string> notIds = {"posixrules", "localtime", "Factory",      "leapseconds", "leap-seconds.list",
                                                 "tzdata.zi",  "zone.tab",  "zone1970.tab", "iso3166.tab", "SECURITY"};
    return notIds.count(name) == 0;
}

const date::time_zone *locateExact(const QString &name)
{
    const std::string id = name.toStdString();
    if (!isTzinfoIdentifier(id))
        return nullptr;
    try {
        const date::time_zone *tz = date::locate_zone(id);
        return tz;
    } catch (const std::exception &) {
        return nullptr;
    }
}

QString caseInsensitiveMatch(const QString &name)
{
    static const QHash<QString, QString> folded = [] {
        QHash<QString, QString> h;
        const QMap<QString, QString> &rails = ZoneResolver::railsMapping();
        for (auto it = rails.cbegin(); it != rails.cend(); ++it)
            h.insert(it.key().toLower(), it.key());
        for (const QString &id : ZoneResolver::zoneIds())
            h.insert(id.toLower(), id);
        return h;
    }();
    return folded.value(name.toLower());
}

// Names are quoted in one-line messages: control characters become '?'.
QString printable(const QString &text)
{
    QString out = text.size() > 60 ? text.left(57) + QStringLiteral("...") : text;
    for (QChar &c : out)
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = QLatin1Char('?');
    return out;
}

} // namespace

QString ZoneResolution::stateName() const
{
    switch (state) {
    case State::NotSet:
        return QStringLiteral("not set");
    case State::IanaId:
        return QStringLiteral("iana");
    case State::RailsName:
        return QStringLiteral("rails");
    case State::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

QString ZoneResolution::describe() const
{
    switch (state) {
    case State::NotSet:
        return tr("not set");
    case State::IanaId:
        return ianaId;
    case State::RailsName:
        return QStringLiteral("%1 → %2").arg(stored, ianaId);
    case State::Invalid:
        return tr("invalid: %1").arg(reason);
    }
    return {};
}

const QMap<QString, QString> &ZoneResolver::railsMapping()
{
    static const QMap<QString, QString> mapping = [] {
        QMap<QString, QString> m;
        QFile f(QStringLiteral(":/data/rails_time_zones.json"));
        if (f.open(QIODevice::ReadOnly)) {
            const QJsonObject obj = QJsonDocument::fromJson(f.readAll()).object();
            for (auto it = obj.begin(); it != obj.end(); ++it)
                m.insert(it.key(), it.value().toString());
        }
        return m;
    }();
    return mapping;
}

QStringList ZoneResolver::railsNamesFor(const QString &ianaId)
{
    QStringList names;
    const QMap<QString, QString> &rails = railsMapping();
    for (auto it = rails.cbegin(); it != rails.cend(); ++it)
        if (it.value() == ianaId)
            names.append(it.key());
    return names;
}

const QStringList &ZoneResolver::zoneIds()
{
    static const QStringList ids = [] {
        QStringList out;
        const date::tzdb &db = date::get_tzdb();
        for (const date::time_zone &z : db.zones)
            if (isTzinfoIdentifier(std::string(z.name())))
                out.append(QString::fromStdString(std::string(z.name())));
        out.sort();
        out.removeDuplicates();
        return out;
    }();
    return ids;
}

void ZoneResolver::preload()
{
    caseInsensitiveMatch(QString()); // the mapping and zoneIds(), whose first use reads the tz database
}

ZoneResolution ZoneResolver::resolveName(const QString &name)
{
    ZoneResolution r;
    r.stored = name;
    if (name.trimmed().isEmpty()) {
        r.state = ZoneResolution::State::NotSet;
        r.reason = name.isEmpty() ? QStringLiteral("empty") : QStringLiteral("blank");
        return r;
    }
    const auto mapped = railsMapping().constFind(name);
    if (mapped != railsMapping().cend()) {
        if (const date::time_zone *tz = locateExact(*mapped)) {
            r.state = ZoneResolution::State::RailsName;
            r.ianaId = *mapped;
            r.zone = tz;
            return r;
        }
        r.state = ZoneResolution::State::Invalid;
        r.reason = tr("Rails name '%1' maps to %2, which this machine's tz database lacks").arg(name, *mapped);
        return r;
    }
    if (const date::time_zone *tz = locateExact(name)) {
        r.state = ZoneResolution::State::IanaId;
        r.ianaId = name;
        r.zone = tz;
        return r;
    }
    r.state = ZoneResolution::State::Invalid;
    const QString shown = printable(name);
    const QString other = name.size() <= 100 ? caseInsensitiveMatch(name) : QString();
    if (!other.isEmpty())
        r.reason = tr("'%1' has the wrong case (time zone names are case-sensitive; did you mean '%2'?)").arg(shown, other);
    else
        r.reason = tr("'%1' is neither a Rails time zone name nor an IANA zone id").arg(shown);
    return r;
}

ZoneResolution ZoneResolver::resolve(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        ZoneResolution r;
        r.state = ZoneResolution::State::NotSet;
        r.stored = value.isNull() ? QStringLiteral("null") : QString();
        r.reason = value.isNull() ? QStringLiteral("null") : QStringLiteral("absent");
        return r;
    }
    if (value.isString())
        return resolveName(value.toString());
    ZoneResolution r;
    r.state = ZoneResolution::State::Invalid;
    QJsonDocument doc = value.isObject()  ? QJsonDocument(value.toObject())
                        : value.isArray() ? QJsonDocument(value.toArray())
                                          : QJsonDocument();
    if (value.isDouble())
        r.stored = QString::number(value.toDouble());
    else if (value.isBool())
        r.stored = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    else
        r.stored = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    r.reason = tr("stored value %1 is not a string").arg(r.stored.left(60));
    return r;
}

} // namespace rollup
