#include "ui/connectionprofiles.h"

#include <QSettings>

namespace rollup {

namespace {

const QString kGroup = QStringLiteral("connectionProfiles");
const QString kLast = QStringLiteral("lastConnectionProfile");

struct Stored
{
    QString name;
    ConnectionSettings settings;
};

QList<Stored> readAll(QSettings &s)
{
    QList<Stored> out;
    const int n = s.beginReadArray(kGroup);
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        Stored p;
        p.name = s.value(QStringLiteral("name")).toString();
        p.settings.host = s.value(QStringLiteral("host")).toString();
        p.settings.port = s.value(QStringLiteral("port")).toInt();
        p.settings.database = s.value(QStringLiteral("database")).toString();
        p.settings.user = s.value(QStringLiteral("user")).toString();
        p.settings.sslMode = s.value(QStringLiteral("sslmode")).toString();
        p.settings.sslRootCert = s.value(QStringLiteral("sslrootcert")).toString();
        p.settings.readOnly = s.value(QStringLiteral("readOnly")).toBool();
        p.settings.replicaUrl = s.value(QStringLiteral("replica")).toString();
        p.settings.statementTimeoutMs
            = s.value(QStringLiteral("statementTimeoutMs"), ConnectionSettings::kDefaultStatementTimeoutMs).toInt();
        p.settings.source = QStringLiteral("profile %1").arg(p.name);
        if (!p.name.isEmpty())
            out.append(p);
    }
    s.endArray();
    return out;
}

void writeAll(QSettings &s, const QList<Stored> &profiles)
{
    s.remove(kGroup);
    s.beginWriteArray(kGroup, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const Stored &p = profiles.at(i);
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("host"), p.settings.host);
        s.setValue(QStringLiteral("port"), p.settings.port);
        s.setValue(QStringLiteral("database"), p.settings.database);
        s.setValue(QStringLiteral("user"), p.settings.user);
        s.setValue(QStringLiteral("sslmode"), p.settings.sslMode);
        s.setValue(QStringLiteral("sslrootcert"), p.settings.sslRootCert);
        s.setValue(QStringLiteral("readOnly"), p.settings.readOnly);
        s.setValue(QStringLiteral("replica"), p.settings.replicaUrlWithoutPassword());
        s.setValue(QStringLiteral("statementTimeoutMs"), p.settings.statementTimeoutMs);
        // No password, by contract (the replica's neither).
    }
    s.endArray();
    s.sync();
}

} // namespace

ConnectionProfiles::ConnectionProfiles() : m_settings(std::make_unique<QSettings>())
{
}
ConnectionProfiles::ConnectionProfiles(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
}
ConnectionProfiles::~ConnectionProfiles() = default;

QStringList ConnectionProfiles::names() const
{
    QStringList out;
    for (const Stored &p : readAll(*m_settings))
        out << p.name;
    out.sort(Qt::CaseInsensitive);
    return out;
}

std::optional<ConnectionSettings> ConnectionProfiles::load(const QString &name) const
{
    for (const Stored &p : readAll(*m_settings))
        if (p.name == name)
            return p.settings;
    return std::nullopt;
}

void ConnectionProfiles::save(const QString &name, const ConnectionSettings &settings)
{
    QList<Stored> all = readAll(*m_settings);
    Stored p{name, settings};
    p.settings.password.clear();
    bool replaced = false;
    for (Stored &existing : all)
        if (existing.name == name) {
            existing = p;
            replaced = true;
        }
    if (!replaced)
        all.append(p);
    writeAll(*m_settings, all);
}

void ConnectionProfiles::remove(const QString &name)
{
    QList<Stored> all = readAll(*m_settings);
    all.removeIf([&name](const Stored &p) { return p.name == name; });
    writeAll(*m_settings, all);
    if (lastUsed() == name)
        setLastUsed(QString());
}

QString ConnectionProfiles::lastUsed() const
{
    return m_settings->value(kLast).toString();
}

void ConnectionProfiles::setLastUsed(const QString &name)
{
    if (name.isEmpty())
        m_settings->remove(kLast);
    else
        m_settings->setValue(kLast, name);
    m_settings->sync();
}

QString ConnectionProfiles::fileName() const
{
    return m_settings->fileName();
}
void ConnectionProfiles::sync()
{
    m_settings->sync();
}

} // namespace rollup
